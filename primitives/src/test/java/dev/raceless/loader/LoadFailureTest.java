package dev.raceless.loader;

import dev.raceless.testing.Background;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.raceless.testing.Background.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failure paths: a factory or init that throws leaves nothing half loaded (the requests see a
 * LoadException, a later request retries); a destroy that throws is reported and the key becomes
 * loadable again.
 */
class LoadFailureTest {
    private final RecordingLifecycle recorder = new RecordingLifecycle();
    private final ConcurrentLinkedQueue<String> reported = new ConcurrentLinkedQueue<>();
    private final ModuleLoader<String, TestModule> loader = new ModuleLoader<>(recorder, recorder,
            ModuleLoader.Style.THREE_POINT, (key, failure) -> reported.add(key + ": " + failure.getMessage()));

    @Test
    void factoryThatThrowsLeavesNothingLoadedAndALaterRequestRetries() {
        IllegalStateException boom = new IllegalStateException("no such module");
        recorder.factoryFailure = k -> boom;
        LoadException e = assertThrows(LoadException.class, () -> loader.acquire("a"));
        assertSame(boom, e.getCause());
        assertTrue(e.getMessage().contains("a"), e.getMessage());
        assertFalse(loader.isLoaded("a"));
        assertNull(loader.tryAcquire("a"));
        assertEquals(UnloadResult.NOT_LOADED, loader.tryUnload("a"));

        recorder.factoryFailure = k -> null;
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        assertEquals(1, h.module().call());
        h.release();
    }

    @Test
    void factoryThatReturnsNullIsALoadFailure() {
        ModuleLoader<String, TestModule> nulls =
                new ModuleLoader<>(k -> null, recorder, ModuleLoader.Style.THREE_POINT);
        LoadException e = assertThrows(LoadException.class, () -> nulls.acquire("a"));
        assertInstanceOf(NullPointerException.class, e.getCause());
        assertFalse(nulls.isLoaded("a"));
    }

    @ParameterizedTest(name = "init throws a checked exception: {0}")
    @ValueSource(booleans = {true, false})
    void initThatThrowsDiscardsTheInstanceAndALaterRequestRetries(boolean checked) {
        Exception boom = checked ? new IOException("cannot reserve") : new IllegalStateException("cannot reserve");
        recorder.onInit = m -> {
            throw boom;
        };
        LoadException e = assertThrows(LoadException.class, () -> loader.acquire("a"));
        assertSame(boom, e.getCause());
        assertFalse(loader.isLoaded("a"));
        assertEquals(0, recorder.live("a"));
        assertEquals(List.of("init a#1", "init failed a#1"), recorder.events(), "discarded, not destroyed");

        recorder.onInit = m -> { };
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        assertEquals(2, h.module().call());
        h.release();
        assertEquals(0, recorder.violationCount(), recorder.violations().toString());
    }

    @Test
    void requestsWaitingForALoadThatFailsSeeTheLoadException() {
        CountDownLatch initMayFail = new CountDownLatch(1);
        IllegalStateException boom = new IllegalStateException("cannot reserve");
        AtomicInteger inits = new AtomicInteger();
        recorder.onInit = m -> {
            if (inits.incrementAndGet() == 1) {
                initMayFail.await();
                throw boom;
            }
        };
        List<Background<Integer>> requests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            requests.add(Background.start("request-" + i, () -> {
                ModuleLoader.Handle<TestModule> h = loader.acquire("a");
                h.release();
                return h.hashCode();
            }));
        }
        eventually(() -> recorder.events().contains("init a#1"), "the first load is in init");
        for (Background<Integer> r : requests) {
            r.awaitParked(); // one in init, the others waiting for that load
        }
        initMayFail.countDown();
        for (Background<Integer> r : requests) {
            Throwable t = r.joinFailure();
            assertInstanceOf(LoadException.class, t);
            assertSame(boom, t.getCause(), "every waiting request sees the failure of the load it waited for");
        }
        assertEquals(1, recorder.made.get());
        loader.acquire("a").release(); // a later request retries
        assertEquals(2, recorder.made.get());
    }

    @Test
    void destroyThatThrowsIsReportedAndTheKeyBecomesLoadableAgain() throws InterruptedException {
        recorder.onDestroy = m -> {
            throw new IOException("leaked " + m);
        };
        for (int round = 0; round < 3; round++) {
            loader.acquire("a").release();
            UnloadResult r = round == 0 ? loader.tryUnload("a")
                    : round == 1 ? loader.tryUnload("a", 0, TimeUnit.SECONDS) : loader.unload("a");
            assertEquals(UnloadResult.UNLOADED, r);
            assertFalse(loader.isLoaded("a"));
        }
        assertEquals(List.of("a: leaked a#1", "a: leaked a#2", "a: leaked a#3"), new ArrayList<>(reported));
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        assertEquals(4, h.module().call());
        h.release();
        assertEquals(0, recorder.violationCount(), recorder.violations().toString());
    }

    @Test
    void requestsWaitingForADestroyThatThrowsContinueWithAFreshInstance() {
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        recorder.onDestroy = m -> {
            throw new IllegalStateException("leaked " + m);
        };
        Background<UnloadResult> unload = Background.start("unload", () -> loader.unload("a"));
        eventually(() -> !loader.isLoaded("a"), "the unload has begun (new calls are refused)");
        Background<Integer> request = Background.start("request", () -> {
            ModuleLoader.Handle<TestModule> x = loader.acquire("a");
            try {
                return x.module().call();
            } finally {
                x.release();
            }
        });
        request.awaitParked();
        h.release();
        assertEquals(UnloadResult.UNLOADED, unload.join());
        assertEquals(2, request.join());
        assertEquals(List.of("a: leaked a#1"), new ArrayList<>(reported));
    }

    @Test
    void destroyFailureWhoseHandlerThrowsIsStillContained() {
        ModuleLoader<String, TestModule> badHandler = new ModuleLoader<>(recorder, recorder,
                ModuleLoader.Style.THREE_POINT, (key, failure) -> {
            throw new IllegalStateException("handler broke");
        });
        recorder.onDestroy = m -> {
            throw new IOException("leaked " + m + " (expected: LoadFailureTest checks that a failure handler that"
                    + " throws is contained; the loader logs both)");
        };
        badHandler.acquire("a").release();
        assertEquals(UnloadResult.UNLOADED, badHandler.tryUnload("a"), "logged, not thrown");
        ModuleLoader.Handle<TestModule> h = badHandler.acquire("a");
        assertEquals(2, h.module().id);
        h.release();
    }

    @ParameterizedTest(name = "unload variant {0}")
    @ValueSource(ints = {0, 1, 2})
    void stopThatThrowsIsReportedAndTheUnloadGoesOn(int variant) throws InterruptedException {
        recorder.onStop = m -> {
            throw new IllegalStateException("stop broke");
        };
        for (ModuleLoader.Style style : ModuleLoader.Style.values()) {
            reported.clear();
            ModuleLoader<String, TestModule> l = new ModuleLoader<>(recorder, recorder, style,
                    (key, failure) -> reported.add(key + ": " + failure.getCause().getMessage()));
            TestModule m = acquireAndRelease(l);
            UnloadResult r = variant == 0 ? l.tryUnload("a")
                    : variant == 1 ? l.tryUnload("a", 0, TimeUnit.SECONDS) : l.unload("a");
            assertEquals(UnloadResult.UNLOADED, r, style.toString());
            assertTrue(m.destroyReturned, style + ": destroyed although stop threw");
            assertEquals(List.of("a: stop broke"), new ArrayList<>(reported), style.toString());
            assertFalse(l.isLoaded("a"));
            assertTrue(acquireAndRelease(l).id > m.id, style + ": loadable again");
            recorder.onStop = m2 -> { };
            l.unload("a");
            recorder.onStop = m2 -> {
                throw new IllegalStateException("stop broke");
            };
        }
        assertEquals(0, recorder.violationCount(), recorder.violations().toString());
    }

    @Test
    void fourPointStartThatThrowsWhenAnUnloadLosesIsReportedAndTheInstanceServesOn() throws InterruptedException {
        ModuleLoader<String, TestModule> four = new ModuleLoader<>(recorder, recorder, ModuleLoader.Style.FOUR_POINT,
                (key, failure) -> reported.add(key + ": " + failure.getCause().getMessage()));
        ModuleLoader.Handle<TestModule> h = four.acquire("a");
        recorder.onStart = m -> {
            throw new IllegalStateException("restart broke");
        };
        assertEquals(UnloadResult.BUSY, four.tryUnload("a"));
        assertEquals(UnloadResult.BUSY, four.tryUnload("a", 0, TimeUnit.SECONDS));
        assertEquals(List.of("a: restart broke", "a: restart broke"), new ArrayList<>(reported));
        assertTrue(four.isLoaded("a"), "given back although start threw");
        ModuleLoader.Handle<TestModule> again = four.acquire("a");
        assertEquals(1, again.module().call());
        again.release();
        h.release();
        assertEquals(UnloadResult.UNLOADED, four.tryUnload("a"));
        assertEquals(0, recorder.violationCount(), recorder.violations().toString());
    }

    @Test
    void fourPointStartThatThrowsAtLoadIsALoadFailure() {
        ModuleLoader<String, TestModule> four = new ModuleLoader<>(recorder, recorder, ModuleLoader.Style.FOUR_POINT);
        IllegalStateException boom = new IllegalStateException("start broke");
        recorder.onStart = m -> {
            throw boom;
        };
        LoadException e = assertThrows(LoadException.class, () -> four.acquire("a"));
        assertSame(boom, e.getCause());
        assertFalse(four.isLoaded("a"));
        recorder.onStart = m -> { };
        assertEquals(2, acquireAndRelease(four).id, "a later request retries");
    }

    private static TestModule acquireAndRelease(ModuleLoader<String, TestModule> l) {
        ModuleLoader.Handle<TestModule> h = l.acquire("a");
        try {
            return h.module();
        } finally {
            h.release();
        }
    }
}
