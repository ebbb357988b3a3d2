package dev.raceless.refcount;

import dev.raceless.internal.Stripes;
import dev.raceless.refcount.UseCount.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract of {@link UseCount} on one thread: taking and releasing uses, {@code shutdown},
 * {@code tryShutdown}, termination, and what each call leaves behind. Reopening, misuse, waiting,
 * hand-off across stripes and races have classes of their own.
 */
class UseCountContractTest {

    // ---------------------------------------------------------------- a new count

    @Test
    void newCountIsLiveWithNoUseHeld() {
        UseCount uc = new UseCount();
        assertEquals(State.LIVE, uc.state());
        assertEquals(0, uc.estimate());
        assertFalse(uc.termination().isDone());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 64})
    void stripesIsTheNumberGivenToTheConstructor(int stripes) {
        assertEquals(stripes, new UseCount(stripes).stripes());
    }

    @Test
    void defaultConstructorUsesTheDefaultStripeCount() {
        assertEquals(Stripes.defaultStripes(), new UseCount().stripes());
    }

    // ---------------------------------------------------------------- taking and releasing

    @Test
    void tryAcquireSucceedsWhileLive() {
        UseCount uc = new UseCount();
        assertTrue(uc.tryAcquire());
        assertEquals(1, uc.estimate());
        assertEquals(State.LIVE, uc.state());
    }

    @Test
    void releaseGivesTheUseBack() {
        UseCount uc = new UseCount();
        uc.tryAcquire();
        uc.release();
        assertEquals(0, uc.estimate());
        assertEquals(State.LIVE, uc.state());
    }

    @Test
    void retainWhileLiveTakesAnotherUse() {
        UseCount uc = new UseCount();
        uc.tryAcquire();
        uc.retain();
        assertEquals(2, uc.estimate());
        assertEquals(State.LIVE, uc.state());
    }

    @Test
    void estimateIsExactWhenNothingIsInFlight() {
        UseCount uc = new UseCount();
        for (int i = 0; i < 5; i++) {
            uc.tryAcquire();
        }
        uc.retain();
        uc.release();
        uc.release();
        assertEquals(4, uc.estimate());
    }

    // ---------------------------------------------------------------- shutdown

    @Test
    void tryAcquireFailsAfterShutdown() {
        UseCount uc = new UseCount();
        uc.tryAcquire(); // held, so the count stays GOING
        uc.shutdown();
        assertFalse(uc.tryAcquire());
    }

    @Test
    void tryAcquireFailsAfterShutdownOfAnIdleCount() {
        UseCount uc = new UseCount();
        uc.shutdown();
        assertFalse(uc.tryAcquire());
    }

    @Test
    void failedTryAcquireLeavesTheCountAsItWas() {
        UseCount uc = new UseCount();
        uc.tryAcquire();
        uc.shutdown();
        uc.tryAcquire();
        assertEquals(1, uc.estimate());
        assertEquals(State.GOING, uc.state());
        assertFalse(uc.termination().isDone());
    }

    @Test
    void failedTryAcquireOnADeadCountLeavesItDead() {
        UseCount uc = new UseCount();
        uc.shutdown();
        uc.tryAcquire();
        assertEquals(0, uc.estimate());
        assertEquals(State.DEAD, uc.state());
    }

    @Test
    void shutdownWithNoUseHeldMakesTheCountDeadAtOnce() {
        UseCount uc = new UseCount();
        uc.shutdown();
        assertEquals(State.DEAD, uc.state());
    }

    @Test
    void shutdownWithNoUseHeldCompletesTermination() {
        UseCount uc = new UseCount();
        uc.shutdown();
        assertTrue(uc.termination().isDone());
    }

    @Test
    void shutdownAfterAllUsesWereReleasedMakesTheCountDead() {
        UseCount uc = new UseCount();
        uc.tryAcquire();
        uc.tryAcquire();
        uc.release();
        uc.release();
        uc.shutdown();
        assertEquals(State.DEAD, uc.state());
    }

    @Test
    void shutdownWithAUseHeldLeavesTheCountGoing() {
        UseCount uc = new UseCount();
        uc.tryAcquire();
        uc.shutdown();
        assertEquals(State.GOING, uc.state());
        assertFalse(uc.termination().isDone());
    }

    @Test
    void shutdownIsIdempotentWhileGoing() {
        UseCount uc = new UseCount();
        uc.tryAcquire();
        uc.shutdown();
        uc.shutdown();
        assertAll(
                () -> assertEquals(State.GOING, uc.state()),
                () -> assertEquals(1, uc.estimate()),
                () -> assertFalse(uc.termination().isDone()));
    }

    @Test
    void shutdownIsIdempotentOnADeadCount() {
        UseCount uc = new UseCount();
        uc.shutdown();
        uc.shutdown();
        assertEquals(State.DEAD, uc.state());
        assertEquals(0, uc.estimate());
        assertTrue(uc.termination().isDone());
    }

    @Test
    void lastReleaseAfterShutdownMakesTheCountDead() {
        UseCount uc = new UseCount();
        uc.tryAcquire();
        uc.shutdown();
        uc.release();
        assertEquals(State.DEAD, uc.state());
        assertEquals(0, uc.estimate());
    }

    @Test
    void lastReleaseAfterShutdownCompletesTermination() {
        UseCount uc = new UseCount();
        uc.tryAcquire();
        uc.shutdown();
        uc.release();
        assertTrue(uc.termination().isDone());
    }

    @Test
    void releaseThatIsNotTheLastLeavesTheCountGoing() {
        UseCount uc = new UseCount();
        uc.tryAcquire();
        uc.tryAcquire();
        uc.shutdown();
        uc.release();
        assertEquals(State.GOING, uc.state());
        assertEquals(1, uc.estimate());
        assertFalse(uc.termination().isDone());
    }

    @Test
    void terminationCompletesOnlyOnceTheStateIsDead() {
        UseCount uc = new UseCount();
        uc.tryAcquire();
        uc.shutdown();
        AtomicReference<State> seenByCompletion = new AtomicReference<>();
        // Runs in the thread that completes termination, at the moment it does so.
        uc.termination().thenRun(() -> seenByCompletion.set(uc.state()));
        uc.release();
        assertEquals(State.DEAD, seenByCompletion.get());
    }

    @Test
    void retainHandsOnAUseWhileGoing() {
        UseCount uc = new UseCount();
        uc.tryAcquire();
        uc.shutdown();
        uc.retain();
        assertEquals(2, uc.estimate());
        assertEquals(State.GOING, uc.state());
    }

    @Test
    @SuppressWarnings("deprecation") // acquire(): the former name of retain(), kept for callers
    void deprecatedAcquireIsRetain() {
        UseCount uc = new UseCount();
        uc.tryAcquire();
        uc.shutdown();
        uc.acquire(); // hands on a use while GOING, as retain() does
        assertEquals(2, uc.estimate());
        uc.release();
        uc.release();
        assertEquals(State.DEAD, uc.state());
        IllegalStateException e = assertThrows(IllegalStateException.class, uc::acquire);
        assertTrue(e.getMessage().contains("retain()"), e.getMessage());
        assertEquals(0, uc.estimate(), "the refused hand-off left the count as it was");
    }

    @Test
    void useHandedOnWhileGoingKeepsTheCountAliveUntilItIsReleased() {
        UseCount uc = new UseCount();
        uc.tryAcquire();
        uc.shutdown();
        uc.retain();
        uc.release(); // the original
        assertEquals(State.GOING, uc.state());
        uc.release(); // the one handed on
        assertEquals(State.DEAD, uc.state());
    }

    // ---------------------------------------------------------------- tryShutdown

    @Test
    void tryShutdownWithNoUseHeldReturnsTrueAndLeavesTheCountDead() {
        UseCount uc = new UseCount();
        assertTrue(uc.tryShutdown());
        assertEquals(State.DEAD, uc.state());
    }

    @Test
    void tryShutdownWithNoUseHeldCompletesTermination() {
        UseCount uc = new UseCount();
        uc.tryShutdown();
        assertTrue(uc.termination().isDone());
    }

    @Test
    void tryAcquireFailsAfterASuccessfulTryShutdown() {
        UseCount uc = new UseCount();
        uc.tryShutdown();
        assertFalse(uc.tryAcquire());
    }

    @Test
    void tryShutdownWithAUseHeldReturnsFalse() {
        UseCount uc = new UseCount();
        uc.tryAcquire();
        assertFalse(uc.tryShutdown());
    }

    @Test
    void tryShutdownThatFailsLeavesTheCountLiveAsIfNotCalled() {
        UseCount uc = new UseCount();
        uc.tryAcquire();
        uc.tryShutdown();
        assertAll(
                () -> assertEquals(State.LIVE, uc.state()),
                () -> assertEquals(1, uc.estimate()),
                () -> assertFalse(uc.termination().isDone()));
    }

    @Test
    void countLeftLiveByAFailedTryShutdownGrantsUses() {
        UseCount uc = new UseCount();
        uc.tryAcquire();
        uc.tryShutdown();
        assertTrue(uc.tryAcquire());
        assertEquals(2, uc.estimate());
    }

    @Test
    void countLeftLiveByAFailedTryShutdownShutsDownNormally() {
        UseCount uc = new UseCount();
        uc.tryAcquire();
        uc.tryShutdown();
        uc.release(); // LIVE again: releases take the fast path
        assertEquals(State.LIVE, uc.state());
        uc.shutdown();
        assertEquals(State.DEAD, uc.state());
        assertTrue(uc.termination().isDone());
    }

    @Test
    void tryShutdownOnAGoingCountWithUsesHeldReturnsFalseAndStaysGoing() {
        UseCount uc = new UseCount();
        uc.tryAcquire();
        uc.shutdown();
        assertFalse(uc.tryShutdown());
        assertEquals(State.GOING, uc.state());
        assertEquals(1, uc.estimate());
        assertFalse(uc.termination().isDone());
    }

    @Test
    void tryShutdownReturnsTrueOnceTheLastUseIsReleased() {
        UseCount uc = new UseCount();
        uc.tryAcquire();
        uc.shutdown();
        uc.release();
        assertTrue(uc.tryShutdown());
    }

    @Test
    void tryShutdownOnADeadCountReturnsTrue() {
        UseCount uc = new UseCount();
        uc.shutdown();
        assertTrue(uc.tryShutdown());
        assertEquals(State.DEAD, uc.state());
    }

    // ---------------------------------------------------------------- inspection

    @Test
    void toStringShowsStateUsesHeldAndStripes() {
        UseCount uc = new UseCount(4);
        uc.tryAcquire();
        uc.tryAcquire();
        uc.shutdown();
        String s = uc.toString();
        assertAll(
                () -> assertTrue(s.contains("GOING"), s),
                () -> assertTrue(s.contains("2 held"), s),
                () -> assertTrue(s.contains("4 stripes"), s));
    }
}
