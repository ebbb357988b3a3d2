package dev.raceless.refcount;

import dev.raceless.refcount.UseCount.State;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cancelShutdown()}: a {@code GOING} count with uses held goes back to {@code LIVE} in the
 * same life; a count that is not {@code GOING} is left alone. Its race with the last release is in
 * {@link UseCountRaceTest}.
 */
class UseCountCancelShutdownTest {

    private static UseCount goingWithOneUse() {
        UseCount uc = new UseCount();
        uc.tryAcquire();
        uc.shutdown();
        return uc;
    }

    @Test
    void cancelShutdownMakesAGoingCountLive() {
        UseCount uc = goingWithOneUse();
        assertTrue(uc.cancelShutdown());
        assertEquals(State.LIVE, uc.state());
        assertEquals(1, uc.estimate());
    }

    @Test
    void tryAcquireSucceedsAgainAfterCancelShutdown() {
        UseCount uc = goingWithOneUse();
        uc.cancelShutdown();
        assertTrue(uc.tryAcquire());
    }

    @Test
    void lastReleaseAfterCancelShutdownLeavesTheCountLive() {
        UseCount uc = goingWithOneUse();
        uc.cancelShutdown();
        uc.release();
        assertEquals(State.LIVE, uc.state());
        assertFalse(uc.termination().isDone());
    }

    @Test
    void cancelShutdownKeepsTheSameLife() {
        UseCount uc = goingWithOneUse();
        CompletableFuture<Void> life = uc.termination();
        uc.cancelShutdown();
        uc.release();
        uc.shutdown();
        assertTrue(life.isDone(), "the future taken before the cancel belongs to the same life");
    }

    @Test
    void cancelShutdownOnALiveCountReturnsFalse() {
        UseCount uc = new UseCount();
        assertFalse(uc.cancelShutdown());
        assertEquals(State.LIVE, uc.state());
    }

    @Test
    void cancelShutdownOnADeadCountReturnsFalseAndTheShutdownStands() {
        UseCount uc = new UseCount();
        uc.shutdown();
        assertFalse(uc.cancelShutdown());
        assertEquals(State.DEAD, uc.state());
        assertFalse(uc.tryAcquire());
    }

    @Test
    void cancelShutdownDoesNotUndoASuccessfulTryShutdown() {
        UseCount uc = new UseCount();
        uc.tryShutdown();
        assertFalse(uc.cancelShutdown());
        assertEquals(State.DEAD, uc.state());
    }
}
