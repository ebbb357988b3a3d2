package dev.raceless.grace;

import dev.raceless.internal.Stalls;
import dev.raceless.internal.Waits;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;

/**
 * The updater side that {@link GraceDomain} and {@link QuiescentDomain} share: one grace period at
 * a time under a fair lock, callers that arrive while one runs sharing the next, and the parked
 * wait of a grace period (its deadline, one stall report, the interrupt policy of each
 * {@link Waits.Mode}). The domain keeps what differs: how a grace period begins and what it scans.
 */
final class GracePeriodWaits {
    /*
     * Implementation notes.
     *
     * A domain hands in its engine once, at construction: `completed`, whether the grace period a
     * caller's target names has completed (the sharing test, rcu_seq_done), and `run`, which begins
     * a grace period and waits for it as the mode allows; run is called with the lock held.
     *
     * Waiting: a grace period first rescans with onSpinWait (spin), then publishes itself to the
     * domain's wakers and parks (park). The publication and its pairing with the readers' store-
     * then-read are the domain's (each names its Dekker pair); park only rescans, at growing
     * intervals where a waker may miss the waiter, or parks until unparked where it cannot.
     *
     * Interrupts: a TIMED wait returns INTERRUPTED and the caller throws; a FOREVER wait records
     * the interrupt and keeps waiting, and awaitForever restores the status once the lock is
     * released (synchronize() keeps the status, it does not act on it).
     */

    /** The logger of the grace package: stall reports and failing deferred actions. */
    static final String LOGGER = "dev.raceless.grace";
    /** Outcomes of a wait; MISUSE: more exits than enters were counted (GraceDomain only). */
    static final int DONE = 0, TIMED_OUT = 1, INTERRUPTED = 2, MISUSE = 3;
    /** Rescans before a wait parks: a few microseconds, enough for short readers. */
    private static final int SPINS = 256;
    private static final Stalls DEFAULT_STALLS = Stalls.defaults(LOGGER);

    /** Begins a grace period and waits for it; the caller holds the lock. */
    @FunctionalInterface
    interface Engine {
        /**
         * Runs one grace period.
         *
         * @param mode how long it may wait
         * @param deadline the System.nanoTime() deadline of a TIMED wait
         * @return DONE, TIMED_OUT, INTERRUPTED (TIMED only) or MISUSE
         */
        int run(Waits.Mode mode, long deadline);
    }

    /** Fair: callers are served in arrival order, so one waits for at most two grace periods. */
    final ReentrantLock lock = new ReentrantLock(true);
    private final LongPredicate completed;
    private final Engine engine;
    /** The domain, named in exceptions. */
    private final Object owner;
    /** An interrupt swallowed by a FOREVER wait, for awaitForever to restore; guarded by lock. */
    private boolean interruptedWhileWaiting;
    /** Waits longer than the threshold are reported once; replaced whole by reportStalls. */
    private volatile Stalls stalls = DEFAULT_STALLS;

    /**
     * @param owner the domain, named in exceptions
     * @param completed whether the grace period a target names has completed
     * @param engine begins a grace period and waits for it
     */
    GracePeriodWaits(Object owner, LongPredicate completed, Engine engine) {
        this.owner = owner;
        this.completed = completed;
        this.engine = engine;
    }

    /**
     * Waits until the grace period {@code target} names has completed, sharing one that begins
     * after the call. Keeps the interrupt status, does not act on it.
     *
     * @return DONE or MISUSE
     */
    int awaitForever(long target) {
        boolean interrupted = false;
        int r = DONE;
        lock.lock();
        try {
            if (!completed.test(target)) {
                r = engine.run(Waits.Mode.FOREVER, 0L);
                interrupted = interruptedWhileWaiting;
                interruptedWhileWaiting = false;
            }
        } finally {
            lock.unlock();
        }
        if (interrupted) {
            Thread.currentThread().interrupt(); // keep the status swallowed while parked
        }
        return r;
    }

    /**
     * As {@link #awaitForever}, for at most {@code nanos} (the lock) and until {@code deadline}
     * (the grace period).
     *
     * @return DONE, TIMED_OUT or MISUSE
     * @throws InterruptedException if interrupted while waiting
     */
    int awaitTimed(long target, long nanos, long deadline) throws InterruptedException {
        if (!lock.tryLock(nanos, TimeUnit.NANOSECONDS)) {
            return TIMED_OUT;
        }
        try {
            if (completed.test(target)) {
                return DONE;
            }
            int r = engine.run(Waits.Mode.TIMED, deadline);
            if (r == INTERRUPTED) {
                throw new InterruptedException("interrupted while waiting for a grace period of " + owner);
            }
            return r;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Rescans with {@code onSpinWait} for a few microseconds.
     *
     * @return the first answer of {@code check} that is not TIMED_OUT, else TIMED_OUT
     */
    static int spin(IntSupplier check) {
        int r = TIMED_OUT;
        for (int i = 0; i < SPINS && r == TIMED_OUT; i++) {
            Thread.onSpinWait();
            r = check.getAsInt();
        }
        return r;
    }

    /**
     * Parks until {@code check} answers other than TIMED_OUT. The caller holds the lock and has
     * published itself to the domain's wakers. Reports one stall, through {@code stall}, once the
     * wait has lasted the threshold.
     *
     * @param blocker the domain, for thread dumps
     * @param check DONE when nothing is left to wait for, TIMED_OUT while something is, or MISUSE
     * @param stall reports a stall, given how long the wait has lasted in nanoseconds
     * @param firstRescan the first park between rescans, doubling up to {@code maxRescan}; 0: park
     *        until unparked (the waker cannot miss the waiter)
     * @return check's last answer, TIMED_OUT at the deadline, or INTERRUPTED (TIMED only)
     */
    int park(Object blocker, IntSupplier check, LongConsumer stall, Waits.Mode mode, long deadline,
             long firstRescan, long maxRescan) {
        long rescan = firstRescan;
        long since = System.nanoTime();
        long stallAt = since + stalls.nanos(); // one report per stall
        boolean reported = false;
        int r;
        while ((r = check.getAsInt()) == TIMED_OUT) {
            long now = System.nanoTime();
            long left = mode == Waits.Mode.TIMED ? deadline - now : Long.MAX_VALUE;
            if (left <= 0L) {
                return TIMED_OUT;
            }
            if (!reported) {
                long untilStall = stallAt - now;
                if (untilStall <= 0L) {
                    reported = true;
                    stall.accept(now - since);
                } else {
                    left = Math.min(left, untilStall); // wake up to report
                }
            }
            if (rescan == 0L) {
                if (left == Long.MAX_VALUE) {
                    LockSupport.park(blocker);
                } else {
                    LockSupport.parkNanos(blocker, left);
                }
            } else { // a waker may have missed the waiter: rescan at growing intervals
                LockSupport.parkNanos(blocker, Math.min(rescan, left));
                rescan = Math.min(rescan << 1, maxRescan);
            }
            if (Thread.interrupted()) {
                if (mode == Waits.Mode.TIMED) {
                    return INTERRUPTED;
                }
                interruptedWhileWaiting = true; // FOREVER: remember, keep waiting
            }
        }
        return r;
    }

    /** The domain's reportStalls: a new policy, checked. */
    void reportStalls(long threshold, TimeUnit unit, Consumer<String> reporter) {
        stalls = Stalls.of(threshold, unit, reporter, LOGGER);
    }

    /** Reports one stall of the domain's grace period through the current policy. */
    void reportStall(String waiter, long waited, String report) {
        stalls.report(waiter, waited, report);
    }
}
