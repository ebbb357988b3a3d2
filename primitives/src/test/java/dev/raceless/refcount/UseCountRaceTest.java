package dev.raceless.refcount;

import dev.raceless.refcount.UseCount.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two or three calls racing, each race repeated {@value #ROUNDS} times (misuse races
 * {@value #MISUSE_ROUNDS}) with {@link RaceRounds}: the unit-test cousins of the jcstress tests in
 * {@code stress-tests} (same names where one exists). Each test checks the outcome of every round
 * against the contract and stops at the first round that breaks it. They cannot prove a race
 * absent; they catch races that are not rare.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UseCountRaceTest {
    private static final int ROUNDS = 20_000;
    /** The misuse races go wrong only in narrow windows (one needs a thread stalled mid-count). */
    private static final int MISUSE_ROUNDS = 50_000;
    private static final int POLLS_PER_ROUND = 32;

    // ---------------------------------------------------------------- TryAcquireVsShutdown

    @Test
    void tryAcquireRacingShutdownEitherFailsOrKeepsTheCountAlive() {
        UseCount uc = new UseCount();
        AtomicBoolean took = new AtomicBoolean();
        try (RaceRounds race = new RaceRounds(r -> took.set(uc.tryAcquire()))) {
            for (int i = 0; i < ROUNDS; i++) {
                race.start();
                uc.shutdown();
                assertFalse(uc.tryAcquire(), "tryAcquire after shutdown() returned");
                race.awaitEnd();
                if (took.get()) {
                    assertEquals(State.GOING, uc.state(), "round " + i + ": a use is held");
                    assertFalse(uc.termination().isDone(), "round " + i + ": a use is held");
                    uc.release(); // the actor's use, released on another thread
                }
                assertEquals(State.DEAD, uc.state(), "round " + i);
                assertEquals(0, uc.estimate(), "round " + i);
                uc.reopen();
            }
        }
    }

    // ---------------------------------------------------------------- TryAcquireVsTryShutdown

    @Test
    void tryAcquireRacingTryShutdownIsAllOrNothing() {
        UseCount uc = new UseCount();
        AtomicBoolean took = new AtomicBoolean();
        try (RaceRounds race = new RaceRounds(r -> took.set(uc.tryAcquire()))) {
            for (int i = 0; i < ROUNDS; i++) {
                race.start();
                boolean dead = uc.tryShutdown();
                State right = uc.state(); // only this thread moves the count out of LIVE or DEAD
                race.awaitEnd();
                String round = "round " + i + ": tryShutdown=" + dead + ", tryAcquire=" + took.get();
                if (dead) {
                    assertEquals(State.DEAD, right, round);
                    assertFalse(took.get(), round);
                    assertTrue(uc.reopen(), round);
                } else {
                    assertEquals(State.LIVE, right, round); // as if tryShutdown had not been called
                    if (took.get()) {
                        uc.release();
                    }
                }
                assertEquals(0, uc.estimate(), round);
            }
        }
    }

    // ---------------------------------------------------------------- releases racing the end of a life

    /** A holder releases while another thread shuts down: the release is legal and must not throw. */
    @Test
    void releaseRacingShutdownNeverThrows() {
        UseCount uc = new UseCount();
        try (RaceRounds race = new RaceRounds(r -> uc.release())) {
            for (int i = 0; i < ROUNDS; i++) {
                assertTrue(uc.tryAcquire()); // the actor releases this use
                race.start();
                uc.shutdown();
                race.awaitEnd();
                assertEquals(State.DEAD, uc.state(), "round " + i);
                assertEquals(0, uc.estimate(), "round " + i);
                uc.reopen();
            }
        }
    }

    /** As above, but the last use is released while a tryShutdown() counts. */
    @Test
    void releaseRacingTryShutdownNeverThrows() {
        UseCount uc = new UseCount();
        try (RaceRounds race = new RaceRounds(r -> uc.release())) {
            for (int i = 0; i < ROUNDS; i++) {
                assertTrue(uc.tryAcquire());
                race.start();
                boolean dead = uc.tryShutdown();
                race.awaitEnd();
                assertEquals(dead ? State.DEAD : State.LIVE, uc.state(), "round " + i);
                assertEquals(0, uc.estimate(), "round " + i);
                if (!dead) {
                    uc.shutdown();
                }
                uc.reopen();
            }
        }
    }

    /** TwoLastReleases: two holders release at once while GOING; the life ends once, neither throws. */
    @Test
    void twoLastReleasesEndTheLifeOnceAndNeitherThrows() {
        UseCount uc = new UseCount();
        AtomicInteger completions = new AtomicInteger();
        try (RaceRounds race = new RaceRounds(r -> uc.release(), r -> uc.release())) {
            for (int i = 0; i < ROUNDS; i++) {
                uc.tryAcquire();
                uc.tryAcquire();
                uc.shutdown();
                completions.set(0);
                uc.termination().thenRun(completions::incrementAndGet);
                race.start();
                race.awaitEnd();
                assertEquals(State.DEAD, uc.state(), "round " + i);
                assertEquals(0, uc.estimate(), "round " + i);
                assertEquals(1, completions.get(), "round " + i);
                uc.reopen();
            }
        }
    }

    /** cancelShutdown() racing the last release: either the cancel wins (LIVE) or the life ends. */
    @Test
    void cancelShutdownRacingTheLastReleaseLeavesTheCountLiveOrDead() {
        UseCount uc = new UseCount();
        try (RaceRounds race = new RaceRounds(r -> uc.release())) {
            for (int i = 0; i < ROUNDS; i++) {
                uc.tryAcquire();
                uc.shutdown();
                race.start();
                boolean cancelled = uc.cancelShutdown();
                race.awaitEnd();
                String round = "round " + i + ": cancelShutdown=" + cancelled + ", " + uc;
                assertEquals(cancelled ? State.LIVE : State.DEAD, uc.state(), round);
                assertEquals(!cancelled, uc.termination().isDone(), round);
                assertEquals(0, uc.estimate(), round);
                if (cancelled) {
                    uc.shutdown();
                }
                uc.reopen();
            }
        }
    }

    // ---------------------------------------------------------------- tryShutdown vs shutdown

    /** A true result of tryShutdown() means DEAD on return, even when a shutdown() races it. */
    @Test
    void tryShutdownRacingShutdownReturnsTrueOnlyWhenTheCountIsDead() {
        UseCount uc = new UseCount();
        try (RaceRounds race = new RaceRounds(r -> uc.shutdown())) {
            for (int i = 0; i < ROUNDS; i++) {
                race.start();
                boolean dead = uc.tryShutdown();
                State right = uc.state();
                race.awaitEnd();
                if (dead && right != State.DEAD) {
                    fail("round " + i + ": tryShutdown() returned true but the count was " + right);
                }
                assertEquals(State.DEAD, uc.state(), "round " + i);
                uc.reopen();
            }
        }
    }

    // ---------------------------------------------------------------- HandOffDuringGoing, across stripes

    /**
     * Thread A takes a use and hands one on while the test thread shuts down; thread C releases
     * A's original as soon as A has handed on. If A got a use, the handed-on one is still held after
     * the round, so the count must not be DEAD: a scan that saw C's release but not A's hand-off
     * would read zero (Piggin's bug).
     */
    @Test
    void handOffRacingShutdownNeverEndsTheLifeEarly() {
        UseCount uc = new UseCount(4);
        AtomicInteger handedOn = new AtomicInteger(); // A's outcome for round r: r took, -r none
        RaceRounds.Step a = r -> {
            if (uc.tryAcquire()) {
                uc.retain(); // for B, who is the test thread after the round
                handedOn.set(r);
            } else {
                handedOn.set(-r);
            }
        };
        RaceRounds.Step c = r -> {
            int seen;
            while (Math.abs(seen = handedOn.get()) != r) {
                Thread.onSpinWait();
            }
            if (seen > 0) {
                uc.release(); // A's original, on C's stripe
            }
        };
        try (RaceRounds race = new RaceRounds(a, c)) {
            for (int i = 0; i < ROUNDS; i++) {
                int r = race.start();
                uc.shutdown();
                race.awaitEnd();
                if (handedOn.get() == r) {
                    assertEquals(State.GOING, uc.state(), "round " + i + ": the handed-on use is held");
                    assertFalse(uc.termination().isDone(), "round " + i);
                    assertEquals(1, uc.estimate(), "round " + i);
                    uc.release(); // B's release, on the test thread's stripe
                }
                assertEquals(State.DEAD, uc.state(), "round " + i);
                uc.reopen();
            }
        }
    }

    // ---------------------------------------------------------------- misuse racing the last release

    /**
     * A surplus release races the last legal one while GOING. The count cannot tell which is which,
     * but it must report the misuse (at least one throws), never be left negative, and never be
     * DEAD with a use still counted. Three outcomes are possible:
     * <ol>
     *   <li>one release ends the life, the other is refused: DEAD, nothing counted;
     *   <li>both are refused: GOING, the one use still counted;
     *   <li>one is refused, the other is accepted but counted while the refused one's compensating
     *       up was in flight, so it did not see zero: GOING with nothing counted, and no one left to
     *       end the life. This is the price of refusing rather than risking a false zero under
     *       misuse; the life ends at the next count (here a {@code tryShutdown()}).
     * </ol>
     */
    @Test
    void surplusReleaseRacingTheLastReleaseIsReportedAndNeverLeavesAFalseCount() {
        UseCount uc = new UseCount();
        AtomicInteger thrown = new AtomicInteger();
        RaceRounds.Step releaser = r -> {
            try {
                uc.release();
            } catch (IllegalStateException e) {
                thrown.incrementAndGet();
            }
        };
        try (RaceRounds race = new RaceRounds(releaser, releaser)) {
            for (int i = 0; i < MISUSE_ROUNDS; i++) {
                uc.tryAcquire();
                uc.shutdown();
                thrown.set(0);
                race.start();
                race.awaitEnd();
                String round = "round " + i + ": " + uc + ", thrown " + thrown.get();
                assertTrue(thrown.get() >= 1, round);
                if (uc.state() == State.DEAD) {
                    assertEquals(0, uc.estimate(), round);
                } else if (thrown.get() == 2) {
                    assertEquals(State.GOING, uc.state(), round);
                    assertEquals(1, uc.estimate(), round);
                    uc.release();
                } else {
                    assertEquals(State.GOING, uc.state(), round);
                    assertEquals(0, uc.estimate(), round);
                    assertTrue(uc.tryShutdown(), round);
                }
                assertEquals(State.DEAD, uc.state(), round);
                uc.reopen();
            }
        }
    }

    /**
     * A release on a dead count races tryAcquires that fail on it. A tentative up must not hide
     * the stray release: it is refused and the count left at zero, so that the next life does not
     * start one use short.
     */
    @Test
    void releaseOnADeadCountRacingAFailedTryAcquireIsStillRefused() {
        UseCount uc = new UseCount();
        uc.shutdown();
        AtomicBoolean refused = new AtomicBoolean();
        AtomicBoolean took = new AtomicBoolean();
        RaceRounds.Step stray = r -> {
            try {
                uc.release();
                refused.set(false);
            } catch (IllegalStateException e) {
                refused.set(true);
            }
        };
        RaceRounds.Step poller = r -> { // a caller polling a dead module: many tentative ups
            for (int k = 0; k < POLLS_PER_ROUND; k++) {
                if (uc.tryAcquire()) {
                    took.set(true);
                }
            }
        };
        try (RaceRounds race = new RaceRounds(stray, poller)) {
            for (int i = 0; i < MISUSE_ROUNDS; i++) {
                race.start();
                race.awaitEnd();
                String round = "round " + i + ": " + uc + ", refused " + refused.get();
                assertFalse(took.get(), round);
                assertTrue(refused.get(), round);
                assertEquals(0, uc.estimate(), round);
            }
        }
    }
}
