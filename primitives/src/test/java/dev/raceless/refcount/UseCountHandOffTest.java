package dev.raceless.refcount;

import dev.raceless.refcount.UseCount.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A use taken on one thread (stripe) and released on another: the release is then seen on a stripe
 * that never saw its acquire. The count must still never read zero while a use is held (Piggin's
 * module refcount bug), whatever the order of take, hand-off, release and shutdown.
 *
 * <p>Threads A, B, C run on stripes 0, 1, 2 of a 4-stripe count ({@link StripeThreads}). A takes a
 * use and hands a second one on ({@code retain()}) for B; A's original is released on C. The life
 * must end exactly when B releases, not before. The same steps racing each other are in
 * {@link UseCountRaceTest} ({@code handOffRacingShutdownNeverEndsTheLifeEarly}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UseCountHandOffTest {
    private static final int STRIPES = 4;
    private static final int A = 0;
    private static final int B = 1;
    private static final int C = 2;

    private StripeThreads on;
    private UseCount uc;

    @BeforeEach
    void setUp() {
        on = new StripeThreads(STRIPES);
        uc = new UseCount(STRIPES);
    }

    @AfterEach
    void tearDown() {
        on.close();
    }

    /** A takes a use and hands one on for B: two uses, both up on A's stripe. */
    private void takeOnAAndHandOnForB() throws Exception {
        assertTrue(on.call(A, uc::tryAcquire));
        on.run(A, uc::retain);
    }

    @Test
    void releaseOnAnotherStripeKeepsTheCountExact() throws Exception {
        takeOnAAndHandOnForB();
        on.run(C, uc::release);
        assertEquals(1, uc.estimate());
        on.run(B, uc::release);
        assertEquals(0, uc.estimate());
    }

    @Test
    void shutdownAfterTheOriginalIsReleasedElsewhereWaitsForTheHandedOnUse() throws Exception {
        takeOnAAndHandOnForB();
        on.run(C, uc::release);
        uc.shutdown();
        assertEquals(State.GOING, uc.state());
        assertFalse(uc.termination().isDone());
    }

    @Test
    void shutdownBeforeTheOriginalIsReleasedElsewhereWaitsForTheHandedOnUse() throws Exception {
        takeOnAAndHandOnForB();
        uc.shutdown();
        on.run(C, uc::release);
        assertEquals(State.GOING, uc.state());
        assertFalse(uc.termination().isDone());
    }

    @Test
    void handedOnUseReleasedOnItsOwnStripeEndsTheLife() throws Exception {
        takeOnAAndHandOnForB();
        on.run(C, uc::release);
        uc.shutdown();
        on.run(B, uc::release);
        assertEquals(State.DEAD, uc.state());
        assertTrue(uc.termination().isDone());
        assertEquals(0, uc.estimate());
    }

    @Test
    void handOffDuringGoingOnAnotherStripeKeepsTheCountAlive() throws Exception {
        assertTrue(on.call(A, uc::tryAcquire));
        uc.shutdown();
        on.run(A, uc::retain); // legal while GOING: A holds a use
        on.run(C, uc::release); // A's original, on a third stripe
        assertEquals(State.GOING, uc.state());
        on.run(B, uc::release);
        assertEquals(State.DEAD, uc.state());
    }

    @Test
    void releasesSpreadOverEveryStripeEndTheLifeOnlyAtTheLast() throws Exception {
        for (int i = 0; i < STRIPES; i++) {
            assertTrue(on.call(A, uc::tryAcquire));
        }
        uc.shutdown();
        for (int stripe = STRIPES - 1; stripe > 0; stripe--) {
            on.run(stripe, uc::release);
            assertEquals(State.GOING, uc.state(), "after the release on stripe " + stripe);
        }
        on.run(0, uc::release);
        assertEquals(State.DEAD, uc.state());
    }
}
