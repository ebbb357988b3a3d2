package dev.raceless.loader;

import dev.raceless.testing.Background;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.raceless.testing.Background.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ModuleLoader#reload}: from the call on no request gets the old instance; the call in
 * flight finishes; requests that arrive meanwhile wait and get the fresh one, live when reload
 * returns. A factory that fails leaves the old instance serving; an init that fails leaves the
 * key unloaded. Timed and try forms change nothing when calls stay in flight.
 */
class ReloadTest {
    private final RecordingLifecycle recorder = new RecordingLifecycle();

    @AfterEach
    void noViolations() {
        assertEquals(0, recorder.violationCount(), recorder.violations().toString());
    }

    private static Background<Integer> request(ModuleLoader<String, TestModule> loader) {
        return Background.start("request", () -> {
            try (ModuleLoader.Handle<TestModule> h = loader.acquire("a")) {
                return h.module().call();
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ModuleLoader.Style.class)
    void requestsDuringAReloadWaitAndContinueWithTheFreshInstance(ModuleLoader.Style style)
            throws InterruptedException {
        ModuleLoader<String, TestModule> loader = new ModuleLoader<>(recorder, recorder, style);
        ModuleLoader.Handle<TestModule> inFlight = loader.acquire("a");
        Background<ReloadResult> reload = Background.start("reload", () -> loader.reload("a"));
        eventually(() -> !loader.isLoaded("a"), "the reload refuses new calls at once");
        assertNull(loader.tryAcquire("a"), "no request gets the old instance");
        List<Background<Integer>> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiting.add(request(loader));
        }
        for (Background<Integer> w : waiting) {
            w.awaitParked();
            assertFalse(w.isDone(), "a request waits for the fresh instance");
        }
        assertEquals(1, inFlight.module().call(), "the call in flight goes on");
        inFlight.release();
        assertEquals(ReloadResult.RELOADED, reload.join());
        assertTrue(loader.isLoaded("a"), "the fresh instance is live when reload returns");
        for (Background<Integer> w : waiting) {
            assertEquals(2, w.join(), "every waiting request continues with the fresh instance");
        }
        assertEquals(2, recorder.made.get());
        assertEquals(1, recorder.live("a"));
        assertTrue(recorder.events().indexOf("destroyed a#1") < recorder.events().indexOf("init a#2"),
                "the old destroy returned before the fresh init: " + recorder.events());
    }

    @ParameterizedTest
    @EnumSource(ModuleLoader.Style.class)
    void aFactoryThatFailsLeavesTheOldInstanceServingUntouched(ModuleLoader.Style style) throws InterruptedException {
        ModuleLoader<String, TestModule> loader = new ModuleLoader<>(recorder, recorder, style);
        loader.acquire("a").release();
        recorder.factoryFailure = k -> new IllegalStateException("the new version is broken");
        LoadException e = assertThrows(LoadException.class, () -> loader.reload("a"));
        assertTrue(e.getMessage().contains("broken"), e.getMessage());
        assertTrue(loader.isLoaded("a"));
        try (ModuleLoader.Handle<TestModule> h = loader.acquire("a")) {
            assertEquals(1, h.module().call(), "the old instance serves on");
            assertFalse(h.module().stopped, "and is not stopped");
            assertFalse(h.module().destroyBegan);
        }
        recorder.factoryFailure = k -> null;
        assertEquals(ReloadResult.RELOADED, loader.reload("a"));
        try (ModuleLoader.Handle<TestModule> h = loader.acquire("a")) {
            assertEquals(2, h.module().call());
        }
    }

    @ParameterizedTest
    @EnumSource(ModuleLoader.Style.class)
    void anInitThatFailsLeavesTheKeyUnloadedAndTheNextRequestLoadsAfresh(ModuleLoader.Style style)
            throws InterruptedException {
        ModuleLoader<String, TestModule> loader = new ModuleLoader<>(recorder, recorder, style);
        loader.acquire("a").release();
        recorder.onInit = m -> {
            if (m.id == 2) {
                throw new IllegalStateException("init of the new version fails");
            }
        };
        assertThrows(LoadException.class, () -> loader.reload("a"));
        assertFalse(loader.isLoaded("a"));
        assertEquals(0, recorder.live("a"), "the old one was destroyed, the new one discarded");
        try (ModuleLoader.Handle<TestModule> h = loader.acquire("a")) {
            assertEquals(3, h.module().call());
        }
    }

    @ParameterizedTest
    @EnumSource(ModuleLoader.Style.class)
    void timedAndTryReloadsWithACallInFlightAreBusyAndChangeNothing(ModuleLoader.Style style)
            throws InterruptedException {
        ModuleLoader<String, TestModule> loader = new ModuleLoader<>(recorder, recorder, style);
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        assertEquals(ReloadResult.BUSY, loader.tryReload("a"));
        assertEquals(ReloadResult.BUSY, loader.tryReload("a", 1, TimeUnit.MILLISECONDS));
        assertTrue(loader.isLoaded("a"));
        assertEquals(1, recorder.made.get(), "no fresh instance was made");
        h.release();
        assertEquals(ReloadResult.RELOADED, loader.tryReload("a"));
        assertEquals(ReloadResult.RELOADED, loader.tryReload("a", 1, TimeUnit.SECONDS));
        assertEquals(3, recorder.made.get());
    }

    @ParameterizedTest
    @EnumSource(ModuleLoader.Style.class)
    void reloadingAKeyThatIsNotLoadedLoadsIt(ModuleLoader.Style style) throws InterruptedException {
        ModuleLoader<String, TestModule> loader = new ModuleLoader<>(recorder, recorder, style);
        assertEquals(ReloadResult.LOADED, loader.reload("a"));
        assertTrue(loader.isLoaded("a"));
        assertEquals(ReloadResult.LOADED, loader.tryReload("b"));
    }

    @ParameterizedTest
    @EnumSource(ModuleLoader.Style.class)
    void anInterruptedReloadLeavesTheOldInstanceServing(ModuleLoader.Style style) throws InterruptedException {
        ModuleLoader<String, TestModule> loader = new ModuleLoader<>(recorder, recorder, style);
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        Background<ReloadResult> reload = Background.start("reload", () -> loader.reload("a"));
        eventually(() -> !loader.isLoaded("a"), "the reload has begun");
        reload.awaitParked();
        reload.thread().interrupt();
        assertInstanceOf(InterruptedException.class, reload.joinFailure());
        assertTrue(loader.isLoaded("a"));
        h.release();
        try (ModuleLoader.Handle<TestModule> again = loader.acquire("a")) {
            assertEquals(1, again.module().call());
        }
    }
}
