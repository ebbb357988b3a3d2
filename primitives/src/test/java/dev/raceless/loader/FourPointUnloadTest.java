package dev.raceless.loader;

import dev.raceless.testing.Background;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.raceless.testing.Background.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unload variants with four points (init, start, stop, destroy): stop runs first, and an
 * unload that loses the race against a call calls start again (Rusty Russell's variant).
 */
class FourPointUnloadTest {
    private final RecordingLifecycle recorder = new RecordingLifecycle();
    private final ModuleLoader<String, TestModule> loader =
            new ModuleLoader<>(recorder, recorder, ModuleLoader.Style.FOUR_POINT);

    @AfterEach
    void noViolations() {
        assertEquals(0, recorder.violationCount(), recorder.violations().toString());
    }

    private void load() {
        loader.acquire("a").release();
    }

    @Test
    void tryUnloadOfAnIdleInstanceStopsAndDestroysIt() {
        load();
        assertEquals(UnloadResult.UNLOADED, loader.tryUnload("a"));
        assertEquals(List.of("init a#1", "start a#1", "stop a#1", "destroy a#1", "destroyed a#1"), recorder.events());
        assertFalse(loader.isLoaded("a"));
    }

    @Test
    void tryUnloadThatLosesTheRaceCallsStartAgain() {
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        assertEquals(UnloadResult.BUSY, loader.tryUnload("a"));
        assertEquals(List.of("init a#1", "start a#1", "stop a#1", "start a#1"), recorder.events());
        assertFalse(h.module().stopped, "started again");
        assertEquals(2, h.module().starts.get());
        assertTrue(loader.isLoaded("a"));
        h.release();
        assertEquals(UnloadResult.UNLOADED, loader.tryUnload("a"));
        assertEquals(List.of("init a#1", "start a#1", "stop a#1", "start a#1", "stop a#1", "destroy a#1",
                "destroyed a#1"),
                recorder.events());
    }

    @Test
    void timedUnloadStopsWhileItWaitsAndUnloadsWhenTheCallsFinish() {
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        Background<UnloadResult> timed = Background.start("timed", () -> loader.tryUnload("a", 1, TimeUnit.HOURS));
        eventually(() -> recorder.events().contains("stop a#1"), "four points: stop runs before the wait");
        assertFalse(loader.isLoaded("a"));
        assertFalse(timed.isDone());
        h.release();
        assertEquals(UnloadResult.UNLOADED, timed.join());
        assertEquals(List.of("init a#1", "start a#1", "stop a#1", "destroy a#1", "destroyed a#1"), recorder.events());
    }

    @Test
    void timedUnloadThatTimesOutCallsStartAgain() throws InterruptedException {
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        assertEquals(UnloadResult.BUSY, loader.tryUnload("a", 1, TimeUnit.MILLISECONDS));
        assertEquals(List.of("init a#1", "start a#1", "stop a#1", "start a#1"), recorder.events());
        assertTrue(loader.isLoaded("a"));
        h.release();
        assertEquals(UnloadResult.UNLOADED, loader.tryUnload("a", 0, TimeUnit.SECONDS));
    }

    @Test
    void interruptedTimedUnloadCallsStartAgainAndThrows() {
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedException.class, () -> loader.tryUnload("a", 1, TimeUnit.HOURS));
        } finally {
            Thread.interrupted();
        }
        assertEquals(List.of("init a#1", "start a#1", "stop a#1", "start a#1"), recorder.events());
        assertTrue(loader.isLoaded("a"));
        h.release();
    }

    @Test
    void interruptFromAnotherThreadDuringATimedUnloadCallsStartAgain() {
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        Background<UnloadResult> timed = Background.start("timed", () -> loader.tryUnload("a", 1, TimeUnit.HOURS));
        eventually(() -> recorder.events().contains("stop a#1"), "the timed unload has stopped the module");
        timed.awaitParked();
        timed.thread().interrupt();
        assertInstanceOf(InterruptedException.class, timed.joinFailure());
        assertEquals(List.of("init a#1", "start a#1", "stop a#1", "start a#1"), recorder.events());
        h.release();
    }

    @Test
    void unloadStopsOnceAndNeverStartsAgain() {
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        Background<UnloadResult> unload = Background.start("unload", () -> loader.unload("a"));
        eventually(() -> recorder.events().contains("stop a#1"), "unload() has stopped the module");
        unload.awaitParked();
        assertFalse(unload.isDone());
        h.release();
        assertEquals(UnloadResult.UNLOADED, unload.join());
        assertEquals(List.of("init a#1", "start a#1", "stop a#1", "destroy a#1", "destroyed a#1"), recorder.events());
    }

    @Test
    void aRestartedInstanceServesAndUnloadsLater() throws InterruptedException {
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        for (int i = 0; i < 3; i++) {
            assertEquals(UnloadResult.BUSY, loader.tryUnload("a"));
            assertEquals(UnloadResult.BUSY, loader.tryUnload("a", 0, TimeUnit.SECONDS));
        }
        ModuleLoader.Handle<TestModule> again = loader.acquire("a");
        assertEquals(1, again.module().call());
        assertEquals(7, again.module().starts.get());
        again.release();
        h.release();
        assertEquals(UnloadResult.UNLOADED, loader.unload("a"));
        assertEquals(1, recorder.made.get());
    }
}
