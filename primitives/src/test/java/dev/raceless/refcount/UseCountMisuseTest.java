package dev.raceless.refcount;

import dev.raceless.refcount.UseCount.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Misuse of a {@link UseCount} that it can detect: a bad stripe count, a hand-off on a dead count,
 * more releases than acquires (a release on a dead count, or a surplus found by a shutdown). Each is
 * an exception whose message says what the caller did wrong, and leaves the count as it was; none
 * makes the count {@code DEAD}.
 *
 * <p>Not tested here because the count cannot detect it: a surplus release while {@code LIVE} is
 * indistinguishable from another holder's release until a shutdown counts. A surplus release racing
 * the last legal one is in {@link UseCountRaceTest}.
 */
class UseCountMisuseTest {

    // ---------------------------------------------------------------- constructor

    @ParameterizedTest
    @ValueSource(ints = {3, 6, 12, 100, 1 << 20 | 1})
    void constructorRejectsAStripeCountThatIsNotAPowerOfTwo(int stripes) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new UseCount(stripes));
        assertTrue(e.getMessage().contains("power of two"), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(stripes)), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, -4, Integer.MIN_VALUE})
    void constructorRejectsAStripeCountBelowOne(int stripes) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new UseCount(stripes));
        assertTrue(e.getMessage().contains(String.valueOf(stripes)), e.getMessage());
    }

    // ---------------------------------------------------------------- retain() on DEAD

    @Test
    void retainOnADeadCountThrowsIllegalStateException() {
        UseCount uc = new UseCount();
        uc.shutdown();
        IllegalStateException e = assertThrows(IllegalStateException.class, uc::retain);
        assertTrue(e.getMessage().contains("DEAD"), e.getMessage());
        assertTrue(e.getMessage().contains("tryAcquire"), "should point to tryAcquire(): " + e.getMessage());
    }

    @Test
    void retainOnADeadCountLeavesTheCountAsItWas() {
        UseCount uc = new UseCount();
        uc.shutdown();
        assertThrows(IllegalStateException.class, uc::retain);
        assertAll(
                () -> assertEquals(State.DEAD, uc.state()),
                () -> assertEquals(0, uc.estimate()),
                () -> assertTrue(uc.termination().isDone()));
    }

    @Test
    void acquireOnADeadCountDoesNotDisturbTheNextLife() {
        UseCount uc = new UseCount();
        uc.shutdown();
        assertThrows(IllegalStateException.class, uc::retain);
        uc.reopen();
        uc.shutdown();
        assertEquals(State.DEAD, uc.state());
    }

    // ---------------------------------------------------------------- release() on DEAD

    @Test
    void releaseOnADeadCountThrowsIllegalStateException() {
        UseCount uc = new UseCount();
        uc.shutdown();
        IllegalStateException e = assertThrows(IllegalStateException.class, uc::release);
        assertTrue(e.getMessage().contains("release()"), e.getMessage());
        assertTrue(e.getMessage().contains("without a matching acquire"), e.getMessage());
    }

    @Test
    void releaseOnADeadCountLeavesTheCountAsItWas() {
        UseCount uc = new UseCount();
        uc.shutdown();
        assertThrows(IllegalStateException.class, uc::release);
        assertAll(
                () -> assertEquals(State.DEAD, uc.state()),
                () -> assertEquals(0, uc.estimate()),
                () -> assertTrue(uc.termination().isDone()));
    }

    @Test
    void doubleReleaseAfterTheLastReleaseThrows() {
        UseCount uc = new UseCount();
        uc.tryAcquire();
        uc.shutdown();
        uc.release();
        assertThrows(IllegalStateException.class, uc::release);
        assertEquals(0, uc.estimate());
    }

    @Test
    void releaseOnADeadCountDoesNotDisturbTheNextLife() {
        UseCount uc = new UseCount();
        uc.shutdown();
        assertThrows(IllegalStateException.class, uc::release);
        uc.reopen();
        uc.tryAcquire();
        uc.shutdown();
        assertEquals(State.GOING, uc.state(), "the rejected release must not cancel the new life's use");
        uc.release();
        assertEquals(State.DEAD, uc.state());
    }

    // ---------------------------------------------------------------- more releases than acquires

    @Test
    void shutdownThatFindsMoreReleasesThanAcquiresThrowsIllegalStateException() {
        UseCount uc = new UseCount();
        uc.release(); // undetectable while LIVE
        IllegalStateException e = assertThrows(IllegalStateException.class, uc::shutdown);
        assertTrue(e.getMessage().contains("more releases than acquires"), e.getMessage());
    }

    @Test
    void shutdownThatFindsMoreReleasesThanAcquiresLeavesTheCountLive() {
        UseCount uc = new UseCount();
        uc.release();
        assertThrows(IllegalStateException.class, uc::shutdown);
        assertAll(
                () -> assertEquals(State.LIVE, uc.state()),
                () -> assertEquals(-1, uc.estimate()),
                () -> assertFalse(uc.termination().isDone()));
    }

    @Test
    void tryShutdownThatFindsMoreReleasesThanAcquiresThrowsIllegalStateException() {
        UseCount uc = new UseCount();
        uc.tryAcquire();
        uc.release();
        uc.release();
        IllegalStateException e = assertThrows(IllegalStateException.class, uc::tryShutdown);
        assertTrue(e.getMessage().contains("more releases than acquires"), e.getMessage());
    }

    @Test
    void tryShutdownThatFindsMoreReleasesThanAcquiresLeavesTheCountLive() {
        UseCount uc = new UseCount();
        uc.release();
        assertThrows(IllegalStateException.class, uc::tryShutdown);
        assertAll(
                () -> assertEquals(State.LIVE, uc.state()),
                () -> assertEquals(-1, uc.estimate()),
                () -> assertFalse(uc.termination().isDone()));
    }

    @Test
    void countFoundNegativeStillGrantsUses() {
        UseCount uc = new UseCount();
        uc.release();
        assertThrows(IllegalStateException.class, uc::shutdown);
        assertTrue(uc.tryAcquire());
    }
}
