package dev.raceless.loader;

import dev.raceless.testing.Background;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.raceless.testing.Background.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jamie Lokier's reload protocol: while an instance unloads its try-acquire fails and a request for
 * its key never gets it; the request waits until the dying instance's destroy has returned, then
 * one fresh instance is made and every waiting request continues with it. An unload that gives the
 * instance back lets the waiting requests continue with that same instance.
 */
class ReloadProtocolTest {
    private final RecordingLifecycle recorder = new RecordingLifecycle();

    @AfterEach
    void noViolations() {
        assertEquals(0, recorder.violationCount(), recorder.violations().toString());
    }

    private static List<Background<Integer>> requests(ModuleLoader<String, TestModule> loader, int n) {
        List<Background<Integer>> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            requests.add(Background.start("request-" + i, () -> {
                ModuleLoader.Handle<TestModule> h = loader.acquire("a");
                try {
                    return h.module().call();
                } finally {
                    h.release();
                }
            }));
        }
        return requests;
    }

    @ParameterizedTest
    @EnumSource(ModuleLoader.Style.class)
    void requestsDuringAnUnloadWaitForTheDestroyAndShareOneFreshInstance(ModuleLoader.Style style) {
        ModuleLoader<String, TestModule> loader = new ModuleLoader<>(recorder, recorder, style);
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        TestModule dying = h.module();
        Background<UnloadResult> unload = Background.start("unload", () -> loader.unload("a"));
        eventually(() -> !loader.isLoaded("a"), "the unload has begun (new calls are refused)");

        List<Background<Integer>> requests = requests(loader, 3);
        for (Background<Integer> r : requests) {
            r.awaitParked();
        }
        assertNull(loader.tryAcquire("a"), "try-acquire fails while unloading");
        assertEquals(1, recorder.made.get(), "no fresh instance while the dying one is not destroyed");
        for (Background<Integer> r : requests) {
            assertFalse(r.isDone(), "a request never gets the dying instance");
        }

        h.release(); // the last call into the dying instance returns
        assertEquals(UnloadResult.UNLOADED, unload.join());
        for (Background<Integer> r : requests) {
            assertEquals(2, r.join(), "every waiting request continues with the one fresh instance");
        }
        assertEquals(2, recorder.made.get());
        assertTrue(dying.destroyReturned);
        List<String> events = recorder.events();
        assertTrue(events.indexOf("destroyed a#1") < events.indexOf("init a#2"),
                "the fresh instance is made after the dying one's destroy returned: " + events);
    }

    @Test
    void requestsWaitForASlowDestroyToReturn() {
        ModuleLoader<String, TestModule> loader =
                new ModuleLoader<>(recorder, recorder, ModuleLoader.Style.THREE_POINT);
        loader.acquire("a").release();
        CountDownLatch destroyMayReturn = new CountDownLatch(1);
        recorder.onDestroy = m -> destroyMayReturn.await();
        Background<UnloadResult> unload = Background.start("unload", () -> loader.tryUnload("a"));
        eventually(() -> recorder.events().contains("destroy a#1"), "destroy has begun");

        List<Background<Integer>> requests = requests(loader, 3);
        for (Background<Integer> r : requests) {
            r.awaitParked();
        }
        assertEquals(1, recorder.made.get(), "no fresh instance while destroy runs");
        assertEquals(1, recorder.live("a"));
        destroyMayReturn.countDown();
        assertEquals(UnloadResult.UNLOADED, unload.join());
        for (Background<Integer> r : requests) {
            assertEquals(2, r.join());
        }
        assertEquals(2, recorder.made.get(), "exactly one fresh instance");
    }

    @Test
    void requestsDuringATimedUnloadThatGivesUpContinueWithTheSameInstance() {
        ModuleLoader<String, TestModule> loader =
                new ModuleLoader<>(recorder, recorder, ModuleLoader.Style.THREE_POINT);
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        Background<UnloadResult> timed = Background.start("timed", () -> loader.tryUnload("a", 1, TimeUnit.HOURS));
        eventually(() -> !loader.isLoaded("a"), "the timed unload refuses new requests");

        List<Background<Integer>> requests = requests(loader, 3);
        for (Background<Integer> r : requests) {
            r.awaitParked();
        }
        for (Background<Integer> r : requests) {
            assertFalse(r.isDone(), "no request gets the instance while the unload may still go through");
        }
        timed.awaitParked();
        timed.thread().interrupt(); // the timed unload gives up: the instance is given back
        assertTrue(timed.joinFailure() instanceof InterruptedException);
        for (Background<Integer> r : requests) {
            assertEquals(1, r.join(), "the given-back instance serves the waiting requests");
        }
        h.release();
        assertEquals(1, recorder.made.get());
    }

    @Test
    void requestsDuringAFourPointTimedUnloadThatTimesOutGetTheRestartedInstance() {
        ModuleLoader<String, TestModule> loader = new ModuleLoader<>(recorder, recorder, ModuleLoader.Style.FOUR_POINT);
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        CountDownLatch stopMayReturn = new CountDownLatch(1);
        recorder.onStop = m -> stopMayReturn.await(); // hold the unload in stop, with new calls refused
        Background<UnloadResult> timed = Background.start("timed", () -> loader.tryUnload("a", 0, TimeUnit.SECONDS));
        eventually(() -> recorder.events().contains("stop a#1"), "the timed unload is in stop");
        List<Background<Integer>> requests = requests(loader, 2);
        for (Background<Integer> r : requests) {
            r.awaitParked();
        }
        stopMayReturn.countDown();
        assertEquals(UnloadResult.BUSY, timed.join());
        for (Background<Integer> r : requests) {
            assertEquals(1, r.join());
        }
        assertEquals(List.of("init a#1", "start a#1", "stop a#1", "start a#1"), recorder.events());
        h.release();
    }

    @Test
    void aRequestDuringTheLoadOfTheFreshInstanceWaitsForThatLoad() throws InterruptedException {
        ModuleLoader<String, TestModule> loader =
                new ModuleLoader<>(recorder, recorder, ModuleLoader.Style.THREE_POINT);
        loader.acquire("a").release();
        assertEquals(UnloadResult.UNLOADED, loader.unload("a"));
        CountDownLatch initMayReturn = new CountDownLatch(1);
        recorder.onInit = m -> initMayReturn.await();
        List<Background<Integer>> requests = requests(loader, 3);
        eventually(() -> recorder.events().contains("init a#2"), "the fresh instance is loading");
        for (Background<Integer> r : requests) {
            r.awaitParked();
        }
        assertNull(loader.tryAcquire("a"));
        assertEquals(UnloadResult.NOT_LOADED, loader.tryUnload("a"), "a loading instance cannot be unloaded");
        initMayReturn.countDown();
        for (Background<Integer> r : requests) {
            assertEquals(2, r.join());
        }
        assertEquals(2, recorder.made.get());
    }
}
