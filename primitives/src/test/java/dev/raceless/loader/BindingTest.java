package dev.raceless.loader;

import dev.raceless.testing.Background;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.raceless.testing.Background.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Binding} follows its key exactly as {@code acquire(key)} does: it loads on demand, gets
 * the fresh instance after a reload and never the old one, fails ({@code tryAcquire}) or waits
 * ({@code acquire}) while the key unloads or reloads, loads again after an unload, and keeps
 * serving the old instance when a reload's factory fails.
 */
class BindingTest {
    private final RecordingLifecycle recorder = new RecordingLifecycle();

    @AfterEach
    void noViolations() {
        assertEquals(0, recorder.violationCount(), recorder.violations().toString());
    }

    private ModuleLoader<String, TestModule> loader(ModuleLoader.Style style) {
        return new ModuleLoader<>(recorder, recorder, style);
    }

    @Test
    void aBindingLoadsOnDemandAndThenReachesTheSameInstance() {
        ModuleLoader<String, TestModule> loader = loader(ModuleLoader.Style.THREE_POINT);
        Binding<TestModule> a = loader.bind("a");
        assertFalse(loader.isLoaded("a"), "bind loads nothing");
        assertNull(a.tryAcquire(), "tryAcquire never loads");
        assertEquals(1, a.call(TestModule::call));
        assertEquals(1, a.call(TestModule::call));
        try (ModuleLoader.Handle<TestModule> h = a.tryAcquire()) {
            assertEquals(1, h.module().id);
            try (ModuleLoader.Handle<TestModule> k = loader.acquire("a")) {
                assertSame(h, k, "the binding's handle is the key's current one");
            }
        }
        assertEquals(1, recorder.made.get());
    }

    @ParameterizedTest
    @EnumSource(ModuleLoader.Style.class)
    void afterAReloadTheBindingGetsTheFreshInstanceAndNeverTheOld(ModuleLoader.Style style) throws Exception {
        ModuleLoader<String, TestModule> loader = loader(style);
        Binding<TestModule> a = loader.bind("a");
        ModuleLoader.Handle<TestModule> inFlight = a.acquire();
        Background<ReloadResult> reload = Background.start("reload", () -> loader.reload("a"));
        eventually(() -> !loader.isLoaded("a"), "the reload refuses new calls at once");
        assertNull(a.tryAcquire(), "while reloading, tryAcquire fails as tryAcquire(key) does");
        Background<Integer> waiting = Background.start("binding call", () -> a.call(TestModule::call));
        waiting.awaitParked();
        assertFalse(waiting.isDone(), "acquire waits for the fresh instance");
        inFlight.release();
        assertEquals(ReloadResult.RELOADED, reload.join());
        assertEquals(2, waiting.join(), "the waiting call continues with the fresh instance");
        for (int i = 0; i < 3; i++) {
            assertEquals(2, a.call(TestModule::call), "never the old instance");
        }
        assertNull(inFlight.module(), "the old handle dropped its module at destroy");
    }

    /**
     * What the binding's LIVE check is for: the handle a binding cached before a reload is stale
     * afterwards (its instance destroyed, its module dropped); a cache that used it without the
     * check would reach the destroyed instance. The binding, with the check, goes to the fresh one.
     */
    @Test
    void aHandleCachedBeforeAReloadIsStaleAndTheBindingDoesNotUseIt() throws Exception {
        ModuleLoader<String, TestModule> loader = loader(ModuleLoader.Style.THREE_POINT);
        Binding<TestModule> a = loader.bind("a");
        ModuleLoader.Handle<TestModule> cached = a.acquire(); // the handle the binding now caches
        cached.release();
        assertEquals(ReloadResult.RELOADED, loader.reload("a"));
        assertNull(cached.module(), "the cached handle's instance was destroyed");
        try (ModuleLoader.Handle<TestModule> h = a.acquire()) {
            assertFalse(h == cached, "the binding does not hand out the stale handle");
            assertEquals(2, h.module().call());
        }
    }

    @Test
    void afterAnUnloadTheBindingLoadsAgain() throws Exception {
        ModuleLoader<String, TestModule> loader = loader(ModuleLoader.Style.THREE_POINT);
        Binding<TestModule> a = loader.bind("a");
        assertEquals(1, a.call(TestModule::call));
        assertEquals(UnloadResult.UNLOADED, loader.unload("a"));
        assertNull(a.tryAcquire(), "not loaded: tryAcquire fails");
        assertEquals(2, a.call(TestModule::call), "acquire loads a fresh instance");
    }

    @Test
    void whileAnUnloadWaitsTheBindingWaitsAndThenLoadsAFreshInstance() throws Exception {
        ModuleLoader<String, TestModule> loader = loader(ModuleLoader.Style.THREE_POINT);
        Binding<TestModule> a = loader.bind("a");
        ModuleLoader.Handle<TestModule> inFlight = a.acquire();
        Background<UnloadResult> unload = Background.start("unload", () -> loader.unload("a"));
        eventually(() -> !loader.isLoaded("a"), "the unload refuses new calls");
        assertNull(a.tryAcquire());
        Background<Integer> waiting = Background.start("binding call", () -> a.call(TestModule::call));
        waiting.awaitParked();
        assertFalse(waiting.isDone());
        inFlight.release();
        assertEquals(UnloadResult.UNLOADED, unload.join());
        assertEquals(2, waiting.join());
    }

    @Test
    void aReloadWhoseFactoryFailsLeavesTheBindingOnTheOldInstance() {
        ModuleLoader<String, TestModule> loader = loader(ModuleLoader.Style.FOUR_POINT);
        Binding<TestModule> a = loader.bind("a");
        assertEquals(1, a.call(TestModule::call));
        recorder.factoryFailure = k -> new IllegalStateException("broken new version");
        assertThrows(LoadException.class, () -> loader.reload("a"));
        assertEquals(1, a.call(TestModule::call), "the old instance serves on, through the same binding");
    }

    @Test
    void aClosedLoadersBindingRefusesToLoad() {
        ModuleLoader<String, TestModule> loader = loader(ModuleLoader.Style.THREE_POINT);
        Binding<TestModule> a = loader.bind("a");
        assertEquals(1, a.call(TestModule::call));
        loader.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, a::acquire);
        assertEquals("this ModuleLoader is closed: refused to load module a", e.getMessage());
        assertNull(a.tryAcquire());
    }

    /**
     * Callers through one binding against a thread that reloads: no call reaches an instance
     * whose destroy began (RecordingLifecycle), and once a reload has returned no call gets an
     * instance older than the one it installed. Bounded by a count of reloads.
     */
    @Test
    void callsThroughABindingRacingReloadsNeverSeeAnOldInstance() throws Exception {
        ModuleLoader<String, TestModule> loader = loader(ModuleLoader.Style.THREE_POINT);
        Binding<TestModule> a = loader.bind("a");
        AtomicInteger installed = new AtomicInteger(a.call(TestModule::call));
        AtomicInteger stale = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    int floor = installed.get();
                    if (a.call(TestModule::call) < floor) {
                        stale.incrementAndGet();
                    }
                }
            }, "caller-" + i);
            t.start();
            callers.add(t);
        }
        for (int i = 0; i < 300; i++) {
            loader.reload("a");
            try (ModuleLoader.Handle<TestModule> h = loader.acquire("a")) {
                installed.accumulateAndGet(h.module().id, Math::max);
            }
        }
        stop.set(true);
        for (Thread t : callers) {
            t.join();
        }
        assertEquals(0, stale.get(), "calls that got an instance older than the last one a reload installed");
        assertTrue(recorder.made.get() >= 301);
    }

    /**
     * The cache's two fields written by racing slow paths can hold the count of the live handle and
     * an older handle: the binding must not hand out the older handle, and must give back the use
     * it took on the live count. Set up by reflection, since only a race produces it.
     */
    @Test
    void aBindingWhoseFieldsHoldTwoHandlesNeverHandsOutTheOldOne() throws Exception {
        ModuleLoader<String, TestModule> loader = loader(ModuleLoader.Style.THREE_POINT);
        Binding<TestModule> a = loader.bind("a");
        ModuleLoader.Handle<TestModule> old = a.acquire();
        old.release();
        assertEquals(ReloadResult.RELOADED, loader.reload("a"));
        ModuleLoader.Handle<TestModule> fresh = loader.acquire("a");
        fresh.release();
        assertNotSame(old, fresh, "the reload made a fresh handle");
        Field current = Binding.class.getDeclaredField("current");
        Field uses = Binding.class.getDeclaredField("uses");
        current.setAccessible(true);
        uses.setAccessible(true);
        current.set(a, old);
        uses.set(a, fresh.uses); // torn: the live count, the old handle
        try (ModuleLoader.Handle<TestModule> h = a.tryAcquire()) {
            assertSame(fresh, h, "tryAcquire hands out the live handle, not the one torn in");
            assertEquals(1, fresh.uses.estimate(), "one use: the torn attempt gave its use back");
        }
        assertEquals(0, fresh.uses.estimate());
        assertEquals(Integer.valueOf(2), a.call(m -> m.id), "the binding now reaches the fresh instance");
    }
}
