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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unload variants with three points (init, stop, destroy): stop runs only once the unload
 * cannot fail any more; a BUSY unload calls no point at all.
 */
class ThreePointUnloadTest {
    private final RecordingLifecycle recorder = new RecordingLifecycle();
    private final ModuleLoader<String, TestModule> loader =
            new ModuleLoader<>(recorder, recorder, ModuleLoader.Style.THREE_POINT);

    @AfterEach
    void noViolations() {
        assertEquals(0, recorder.violationCount(), recorder.violations().toString());
    }

    private TestModule load() {
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        TestModule m = h.module();
        h.release();
        return m;
    }

    @Test
    void tryUnloadOfAnIdleInstanceStopsAndDestroysIt() {
        TestModule m = load();
        assertEquals(UnloadResult.UNLOADED, loader.tryUnload("a"));
        assertEquals(List.of("init a#1", "stop a#1", "destroy a#1", "destroyed a#1"), recorder.events());
        assertTrue(m.destroyReturned);
        assertFalse(loader.isLoaded("a"));
        assertNull(loader.tryAcquire("a"));
        assertEquals(0, recorder.live("a"));
        assertEquals(2, load().id, "the key is loaded afresh on the next request");
    }

    @Test
    void tryUnloadWithACallInFlightIsBusyAndChangesNothing() {
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        assertEquals(UnloadResult.BUSY, loader.tryUnload("a"));
        assertEquals(List.of("init a#1"), recorder.events(), "no point called");
        assertTrue(loader.isLoaded("a"));
        ModuleLoader.Handle<TestModule> again = loader.acquire("a");
        assertEquals(1, again.module().call(), "the same instance serves");
        again.release();
        h.release();
        assertEquals(UnloadResult.UNLOADED, loader.tryUnload("a"));
    }

    @Test
    void everyVariantReportsNotLoadedForAKeyNeverLoaded() throws InterruptedException {
        assertEquals(UnloadResult.NOT_LOADED, loader.tryUnload("a"));
        assertEquals(UnloadResult.NOT_LOADED, loader.tryUnload("a", 1, TimeUnit.SECONDS));
        assertEquals(UnloadResult.NOT_LOADED, loader.unload("a"));
        assertEquals(List.of(), recorder.events());
    }

    @Test
    void unloadingTwiceReportsNotLoaded() throws InterruptedException {
        load();
        assertEquals(UnloadResult.UNLOADED, loader.unload("a"));
        assertEquals(UnloadResult.NOT_LOADED, loader.unload("a"));
        assertEquals(UnloadResult.NOT_LOADED, loader.tryUnload("a"));
        assertEquals(UnloadResult.NOT_LOADED, loader.tryUnload("a", 0, TimeUnit.SECONDS));
        assertEquals(1, recorder.events().stream().filter(e -> e.startsWith("destroy ")).count());
    }

    @Test
    void timedUnloadOfAnIdleInstanceUnloads() throws InterruptedException {
        load();
        assertEquals(UnloadResult.UNLOADED, loader.tryUnload("a", 0, TimeUnit.NANOSECONDS));
        assertEquals(List.of("init a#1", "stop a#1", "destroy a#1", "destroyed a#1"), recorder.events());
    }

    @Test
    void timedUnloadRefusesNewRequestsAndUnloadsWhenTheCallsFinish() {
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        Background<UnloadResult> timed = Background.start("timed", () -> loader.tryUnload("a", 1, TimeUnit.HOURS));
        eventually(() -> !loader.isLoaded("a"), "the timed unload refuses new requests");
        assertNull(loader.tryAcquire("a"));
        assertEquals(List.of("init a#1"), recorder.events(), "three points: no stop before the unload is sure");
        assertFalse(timed.isDone());
        h.release();
        assertEquals(UnloadResult.UNLOADED, timed.join());
        assertEquals(List.of("init a#1", "stop a#1", "destroy a#1", "destroyed a#1"), recorder.events());
    }

    @Test
    void timedUnloadThatTimesOutGivesTheInstanceBackAndChangesNothing() throws InterruptedException {
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        assertEquals(UnloadResult.BUSY, loader.tryUnload("a", 1, TimeUnit.MILLISECONDS));
        assertEquals(List.of("init a#1"), recorder.events());
        assertTrue(loader.isLoaded("a"));
        ModuleLoader.Handle<TestModule> again = loader.acquire("a");
        assertEquals(1, again.module().call());
        again.release();
        h.release();
        assertEquals(UnloadResult.UNLOADED, loader.tryUnload("a", 0, TimeUnit.SECONDS));
    }

    @Test
    void interruptedTimedUnloadGivesTheInstanceBackAndThrows() {
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedException.class, () -> loader.tryUnload("a", 1, TimeUnit.HOURS));
        } finally {
            Thread.interrupted();
        }
        assertTrue(loader.isLoaded("a"));
        assertEquals(List.of("init a#1"), recorder.events());
        h.release();
        assertEquals(UnloadResult.UNLOADED, loader.tryUnload("a"));
    }

    @Test
    void interruptFromAnotherThreadDuringATimedUnload() throws InterruptedException {
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        Background<UnloadResult> timed = Background.start("timed", () -> loader.tryUnload("a", 1, TimeUnit.HOURS));
        eventually(() -> !loader.isLoaded("a"), "the timed unload refuses new requests");
        timed.awaitParked();
        timed.thread().interrupt();
        assertInstanceOf(InterruptedException.class, timed.joinFailure());
        assertTrue(loader.isLoaded("a"));
        h.release();
        assertEquals(UnloadResult.UNLOADED, loader.unload("a"));
    }

    @Test
    void timedUnloadRejectsANegativeTimeout() {
        load();
        assertThrows(IllegalArgumentException.class, () -> loader.tryUnload("a", -1, TimeUnit.SECONDS));
        assertThrows(NullPointerException.class, () -> loader.tryUnload("a", 1, null));
        assertTrue(loader.isLoaded("a"));
        assertEquals(UnloadResult.UNLOADED, loader.tryUnload("a"));
    }

    @Test
    void unloadRefusesCallsAtOnceAndStopsAndDestroysAfterTheLastCallReturns() {
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        Background<UnloadResult> unload = Background.start("unload", () -> loader.unload("a"));
        eventually(() -> !loader.isLoaded("a"), "unload() refuses new calls at once");
        assertNull(loader.tryAcquire("a"));
        unload.awaitParked();
        assertFalse(unload.isDone());
        assertEquals(List.of("init a#1"), recorder.events(), "three points: stop waits until the unload cannot fail");
        assertEquals(1, h.module().call(), "the call in flight goes on");
        h.release();
        assertEquals(UnloadResult.UNLOADED, unload.join());
        assertEquals(List.of("init a#1", "stop a#1", "destroy a#1", "destroyed a#1"), recorder.events());
    }

    @Test
    void anInterruptedUnloadThrowsAndLeavesTheInstanceAsItWas() throws InterruptedException {
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        Background<UnloadResult> unload = Background.start("unload", () -> loader.unload("a"));
        eventually(() -> !loader.isLoaded("a"), "unload() has begun");
        unload.awaitParked();
        unload.thread().interrupt();
        assertInstanceOf(InterruptedException.class, unload.joinFailure());
        assertTrue(loader.isLoaded("a"), "the instance is live again");
        assertEquals(List.of("init a#1"), recorder.events(), "no point called");
        ModuleLoader.Handle<TestModule> again = loader.acquire("a");
        assertEquals(1, again.module().call(), "the same instance serves");
        again.release();
        h.release();
        assertEquals(UnloadResult.UNLOADED, loader.unload("a"));
    }

    @Test
    void aSecondBlockingUnloadWaitsForTheFirstAndThenReportsNotLoaded() throws InterruptedException {
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        Background<UnloadResult> first = Background.start("unload", () -> loader.unload("a"));
        eventually(() -> !loader.isLoaded("a"), "the first unload has begun (new calls are refused)");
        assertEquals(UnloadResult.NOT_LOADED, loader.tryUnload("a"), "the non-blocking variants do not wait");
        assertEquals(UnloadResult.NOT_LOADED, loader.tryUnload("a", 0, TimeUnit.SECONDS));
        Background<UnloadResult> second = Background.start("second", () -> loader.unload("a"));
        second.awaitParked();
        assertFalse(second.isDone(), "the second blocking unload waits for the first one's outcome");
        h.release();
        assertEquals(UnloadResult.UNLOADED, first.join());
        assertEquals(UnloadResult.NOT_LOADED, second.join(), "the first one unloaded it");
        assertEquals(1, recorder.events().stream().filter(e -> e.startsWith("stop ")).count());
    }

    /**
     * A blocking unload that meets a timed one in progress takes it over at once, as a blocking
     * deregistration does: the timed one can no longer give the instance back (here: interrupted,
     * it reports NOT_LOADED) and the blocking one unloads it once the call in flight ends.
     */
    @Test
    void aBlockingUnloadTakesATimedOneOver() {
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        Background<UnloadResult> timed = Background.start("timed", () -> loader.tryUnload("a", 1, TimeUnit.HOURS));
        eventually(() -> !loader.isLoaded("a"), "the timed unload refuses new requests");
        timed.awaitParked();
        Background<UnloadResult> blocking = Background.start("blocking", () -> loader.unload("a"));
        blocking.awaitParked();
        assertFalse(blocking.isDone(), "the blocking unload waits for the call in flight");
        timed.thread().interrupt();
        assertEquals(UnloadResult.NOT_LOADED, timed.join(), "taken over: the interrupted try cannot give it back");
        assertFalse(loader.isLoaded("a"), "the blocking unload still refuses new calls");
        assertFalse(blocking.isDone(), "it still waits for the call in flight");
        h.release();
        assertEquals(UnloadResult.UNLOADED, blocking.join());
    }
}
