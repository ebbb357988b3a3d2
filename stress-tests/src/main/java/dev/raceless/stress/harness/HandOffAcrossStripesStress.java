package dev.raceless.stress.harness;

import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/*
    Piggin's race with four parties, which jcstress cannot schedule on a two-CPU machine: a use is
    taken on one stripe and dropped on another while a hand-off of it is held and an unloader
    counts. Each round runs on a fresh count with 64 stripes (a long scan: a wide window) and
    four threads, each placed on a stripe of its own (stripe = thread id & 63):

      taker    (stripe  0)  tryAcquire() -> use U;  waits for GOING;  acquire() -> hand-off H,
                            passes H to the holder and U to the dropper (volatile flags)
      dropper  (stripe 63)  release() of U, the original, on a stripe far from where it was taken
      unloader (stripe 42)  shutdown() once U is held; then polls tryShutdown() (each poll counts
                            every stripe and ends the life at zero) until U is dropped, and once more
      holder   (stripe 21)  holds H: checks that the count is not DEAD (and its termination not
                            done) until the unloader's last poll, then releases H, which must end
                            the life

    The one false zero to fear: a count that reads stripe 0 before H's take and stripe 63 after U's
    drop. A net count per stripe, summed in one pass, sums to exactly zero then (U's +1 and -1, H's
    +1 missed) and kills the count under H: that is BrokenNetStripesCount, which this harness must
    catch. UseCount sums monotonic drop totals before take totals: a drop seen has its take seen.

    On two CPUs the take and the drop land inside one count only when the unloader is preempted in
    the middle of a poll: with four busy threads on two CPUs that happens all the time, and the
    unloader, which does nothing but count, is almost always mid-poll when it is preempted. On the
    project's two-CPU machine the broken counter died under H in 10% to 80% of rounds (depending on
    the load from other processes) and was caught in the first 11 rounds, within 0.3 s, in 15 runs
    out of 15. On a machine with four or more idle CPUs nobody is preempted and the window is one
    poll (about 100 ns against a cross-core hand-off): the catch is not measured there, and the
    budget would have to grow, or the threads outnumber the CPUs.

    Checks (any one fails the run):
      - tryAcquire() refused on a fresh LIVE count; acquire() or release() threw
      - the holder saw DEAD or termination done while it held H; a poll returned true while H was
        held (a false zero)
      - after the holder's release (the last use) the count was not DEAD with termination done

    How to run (StressMain --check runs both variants; --only picks one):
       $ java -cp stress-tests/target/jcstress.jar dev.raceless.stress.harness.StressMain --check --only HandOff
       $ java -cp ... StressMain --check --only 'HandOff.*Broken'     # time the catch alone
    Exit status 0 when UseCount showed no violation and the broken counter was caught.
 */
public final class HandOffAcrossStripesStress implements Scenario.Bounded {

    static final int STRIPES = 64;
    static final int TAKER_STRIPE = 0;
    static final int HOLDER_STRIPE = 21;
    static final int UNLOADER_STRIPE = 42;
    static final int DROPPER_STRIPE = 63;

    /** Rounds that wait longer than this for one another are stuck: a failure, not a hang. */
    private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * Waiting threads yield after this many spins. Pure spinning left each round waiting for time
     * slices (10-30 rounds a second on a loaded two-CPU box); yielding every spin, every 64 or every
     * 512 spins all gave hundreds to thousands of rounds a second, with no clear difference in how
     * often a round produced the false zero on the broken counter (the load from other processes
     * mattered more); every 64 gave the most rounds.
     */
    private static final int YIELD_EVERY = 64;

    private final String name;
    private final Supplier<HandOffCount> counts;
    private final boolean broken;
    private final Budget budget;

    private HandOffAcrossStripesStress(String name, Supplier<HandOffCount> counts, boolean broken, Budget budget) {
        this.name = name;
        this.counts = counts;
        this.broken = broken;
        this.budget = budget;
    }

    /** The real thing: UseCount(64) must show no violation within the budget. */
    public static HandOffAcrossStripesStress onUseCount() {
        return new HandOffAcrossStripesStress("HandOffAcrossStripesStress[UseCount]",
                () -> HandOffCount.useCount(STRIPES), false, Budget.of(2_000_000, 8_000));
    }

    /** The broken counter: the harness must catch its false zero within the budget. */
    public static HandOffAcrossStripesStress onBrokenCount() {
        return new HandOffAcrossStripesStress("HandOffAcrossStripesStress[BrokenNetStripesCount]",
                () -> new BrokenNetStripesCount(STRIPES), true, Budget.of(2_000_000, 10_000));
    }

    @Override
    public String name() {
        return name;
    }

    /** One round's count and the flags that pass U and H around. */
    private static final class Round {
        final HandOffCount count;
        final long deadline = System.nanoTime() + STUCK_NANOS;
        volatile boolean taken;    // U is held by the taker
        volatile boolean going;    // shutdown() has returned
        volatile boolean handedOn; // H is held by the holder
        volatile boolean dropping; // U belongs to the dropper
        volatile boolean dropped;  // U has been released
        volatile boolean pollsDone; // the unloader's last poll has returned
        volatile boolean aborted;
        volatile boolean falseZero;
        final AtomicReference<String> violation = new AtomicReference<>();

        Round(HandOffCount count) {
            this.count = count;
        }

        void fail(String what) {
            violation.compareAndSet(null, what);
            aborted = true;
        }

        void falseZero(String what) {
            falseZero = true;
            fail(what);
        }

        /** Spins until {@code condition}; false if the round was aborted or is stuck. */
        boolean await(BooleanSupplier condition, String what) {
            for (int spins = 1; !condition.getAsBoolean(); spins++) {
                if (aborted) {
                    return false;
                }
                if ((spins & 1023) == 0 && System.nanoTime() - deadline > 0) {
                    fail("stuck waiting for " + what + " on " + count);
                    return false;
                }
                if (spins % YIELD_EVERY == 0) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
            return !aborted;
        }
    }

    // ---------------------------------------------------------------- the four roles

    private static void taker(Round rd) {
        HandOffCount c = rd.count;
        if (!c.tryAcquire()) {
            rd.fail("tryAcquire() refused a use on a fresh LIVE count");
            return;
        }
        rd.taken = true;
        if (!rd.await(() -> rd.going, "shutdown")) {
            return;
        }
        try {
            c.retain(); // H, on the taker's stripe
        } catch (IllegalStateException e) {
            rd.fail("retain() refused a hand-off by a holder while GOING: " + e.getMessage());
            return;
        }
        rd.handedOn = true; // H now belongs to the holder
        rd.dropping = true; // U now belongs to the dropper
    }

    private static void dropper(Round rd) {
        if (!rd.await(() -> rd.dropping, "the use to drop")) {
            return;
        }
        try {
            rd.count.release(); // U, on a stripe far from where it was taken
        } catch (IllegalStateException e) {
            rd.fail("release() of a held use threw: " + e.getMessage());
            return;
        }
        rd.dropped = true;
    }

    private static void unloader(Round rd) {
        HandOffCount c = rd.count;
        if (!rd.await(() -> rd.taken, "the first use")) {
            return;
        }
        try {
            c.shutdown();
            rd.going = true;
            while (!rd.dropped && !rd.aborted) {
                if (c.tryShutdown()) {
                    rd.falseZero("tryShutdown() counted zero while the hand-off was held: " + c);
                    break;
                }
            }
            if (!rd.aborted && c.tryShutdown()) {
                rd.falseZero("tryShutdown() counted zero after the drop while the hand-off was held: " + c);
            }
        } catch (IllegalStateException e) {
            rd.fail("shutdown()/tryShutdown() threw under correct use: " + e.getMessage());
        } finally {
            rd.pollsDone = true;
        }
    }

    private static void holder(Round rd) {
        HandOffCount c = rd.count;
        if (!rd.await(() -> rd.handedOn, "the hand-off")) {
            return;
        }
        // H is held from here on: the count must not be DEAD until it is released.
        rd.await(() -> {
            if (c.isDead()) {
                rd.falseZero("DEAD while the hand-off was held: " + c);
            }
            return rd.pollsDone;
        }, "the unloader's polls");
        if (c.isDead()) {
            rd.falseZero("DEAD while the hand-off was held, after the unloader's last poll: " + c);
        }
        if (rd.aborted) {
            return;
        }
        try {
            c.release(); // H: the last use
        } catch (IllegalStateException e) {
            rd.fail("release() of the hand-off threw: " + e.getMessage());
            return;
        }
        if (!c.isDead()) {
            rd.fail("the last release left the count alive: " + c);
        }
    }

    // ---------------------------------------------------------------- running rounds

    @Override
    public Verdict check() throws InterruptedException {
        Rounds r = new Rounds();
        return r.go();
    }

    /** One run: the rounds, the phaser that lines them up, and the tally. */
    private final class Rounds {
        final long start = System.nanoTime();
        final long deadline = budget.deadline(start);
        volatile Round current = new Round(counts.get());
        long rounds;
        long falseZeros;
        long firstFalseZeroRound = -1;
        long firstFalseZeroNanos;
        String firstViolation;
        String otherViolation;
        final AtomicReference<String> threadFailure = new AtomicReference<>();

        final Phaser phaser = new Phaser(4) {
            @Override
            protected boolean onAdvance(int phase, int parties) { // in the last thread to arrive
                Round done = current;
                rounds++;
                String v = done.violation.get();
                if (done.falseZero) {
                    if (falseZeros++ == 0) {
                        firstFalseZeroRound = rounds;
                        firstFalseZeroNanos = System.nanoTime() - start;
                        firstViolation = v;
                    }
                } else if (v != null && otherViolation == null) {
                    otherViolation = v;
                }
                boolean stop = falseZeros > 0 || otherViolation != null || threadFailure.get() != null
                        || rounds >= budget.rounds() || System.nanoTime() - deadline > 0;
                current = stop ? null : new Round(counts.get());
                return stop;
            }
        };

        Verdict go() throws InterruptedException {
            Thread[] threads = {
                    StripeThreads.onStripe(TAKER_STRIPE, STRIPES, "taker",
                            () -> work(HandOffAcrossStripesStress::taker)),
                    StripeThreads.onStripe(HOLDER_STRIPE, STRIPES, "holder",
                            () -> work(HandOffAcrossStripesStress::holder)),
                    StripeThreads.onStripe(UNLOADER_STRIPE, STRIPES, "unloader",
                            () -> work(HandOffAcrossStripesStress::unloader)),
                    StripeThreads.onStripe(DROPPER_STRIPE, STRIPES, "dropper",
                            () -> work(HandOffAcrossStripesStress::dropper)),
            };
            for (Thread t : threads) {
                t.start();
            }
            long joinBy = deadline + 2 * STUCK_NANOS;
            for (Thread t : threads) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinBy - System.nanoTime())));
                if (t.isAlive()) {
                    return Verdict.fail(t.getName() + " hung after " + rounds + " rounds");
                }
            }
            double secs = (System.nanoTime() - start) / 1e9;
            String ran = String.format("%,d rounds in %.1f s", rounds, secs);
            if (threadFailure.get() != null) {
                return Verdict.fail(ran + "; " + threadFailure.get());
            }
            if (broken) {
                return falseZeros > 0
                        ? Verdict.pass(String.format("caught: false zero in round %,d after %.2f s (%s)",
                                firstFalseZeroRound, firstFalseZeroNanos / 1e9, firstViolation))
                        : Verdict.fail("NOT caught: no false zero in " + ran
                                + (otherViolation != null ? "; other violation: " + otherViolation : "")
                                + ": the harness cannot produce the race it exists for");
            }
            if (falseZeros > 0 || otherViolation != null) {
                return Verdict.fail(ran + "; " + (firstViolation != null ? firstViolation : otherViolation));
            }
            return Verdict.pass(ran + ": no false zero; every last release ended its life");
        }

        void work(Consumer<Round> role) {
            try {
                for (Round rd = current; rd != null; rd = current) {
                    try {
                        role.accept(rd);
                    } catch (RuntimeException | Error e) {
                        rd.fail(Thread.currentThread().getName() + " threw " + e);
                    }
                    if (phaser.awaitAdvanceInterruptibly(phaser.arrive(), STUCK_NANOS, TimeUnit.NANOSECONDS) < 0) {
                        return; // terminated by onAdvance: the run is over
                    }
                }
            } catch (TimeoutException e) {
                threadFailure.compareAndSet(null, Thread.currentThread().getName() + " stuck at the end of a round");
                current = null;
                phaser.forceTermination();
            } catch (InterruptedException e) {
                threadFailure.compareAndSet(null, Thread.currentThread().getName() + " interrupted");
                phaser.forceTermination();
            }
        }
    }
}
