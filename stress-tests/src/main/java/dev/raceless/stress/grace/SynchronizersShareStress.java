package dev.raceless.stress.grace;

import dev.raceless.grace.GraceDomain;
import dev.raceless.stress.harness.Budget;
import dev.raceless.stress.harness.Scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Concurrent synchronize() callers share grace periods (rule 3), and sharing never short-changes
 * a caller. Several threads call synchronize() in a loop while readers keep a section open at every
 * instant (hand over hand: each opens its next section, then ends the last, then parks for
 * ~300 us), so every grace period has a section to wait for and callers pile up behind it.
 * (Readers that sometimes have no section open do not work: a woken updater tends to preempt
 * the reader that woke it and then runs grace periods with nothing to wait for, unshared.) The
 * completed grace periods are read from toString() ("grace periods completed: N", the only
 * public view of gpSeq).
 *
 * <p>Two bounds are checked:
 * <ul>
 *   <li>grace periods &ge; the most calls any one caller made. A caller's next call arrives after
 *       its previous one returned, and needs a grace period that starts after it arrives, so one
 *       caller's calls use distinct grace periods. Fewer would mean a call returned on a grace
 *       period that started before it (the sharing arithmetic cheated).</li>
 *   <li>grace periods &le; calls / 1.1: sharing happens (without it every call runs its own grace
 *       period and the ratio is exactly 1). The ratio is reported; on the project's 2-core box,
 *       busy with other builds, it was 1.26 to 1.85 for 4 to 6 callers, so the bound is loose
 *       on purpose. The deterministic form of this rule (callers that arrive during one grace
 *       period are all served by the next) is a unit test: SynchronizeTest
 *       #callersArrivingDuringAGracePeriodShareTheNextOne.</li>
 * </ul>
 *
 * <p>Reported, not enforced (unless {@code -Draceless.stress.strictLatency=true}): how many grace periods each call
 * saw complete. A call needs at most two (one running when it arrived, then its own) plus one
 * for the skew of reading the count just before the call. More means the caller's grace period
 * had completed but it was still queued on GraceDomain's non-fair grace-period lock, behind
 * grace periods run by callers that barged in after it; the sharing check is made only under
 * that lock. That is a latency cost, not a safety problem, and it is also why the ratio stays low: the
 * callers served by one grace period leave the lock one at a time, each woken in turn, while a
 * caller that barges in starts the next grace period.
 *
 * <pre>
 * How to run:  java [-Draceless.stress.strictLatency=true] -cp stress-tests/target/jcstress.jar \
 *                  dev.raceless.stress.harness.StressMain --check --only SynchronizersShare
 * Exit status 0 if both sharing bounds hold (and, when strict, the latency bound).
 * </pre>
 */
public final class SynchronizersShareStress {
    static final long CAP_MILLIS = 4_000;
    static final int CALLERS = 4;
    static final int READERS = 2;
    static final int CALLS_EACH = 1_000;
    /** How long a reader parks between hand-overs: long against scheduling noise on a busy box. */
    static final long PARK_NANOS = 300_000;
    static final double MIN_SHARING = 1.1;
    /**
     * Grace periods a call may see complete while it runs: one in progress when it arrived, the
     * one it needs, and one more for the skew of reading the count before the call.
     */
    static final int MAX_NEEDED = 3;

    private SynchronizersShareStress() {
    }

    /** What one run saw. */
    static final class Result {
        long calls;
        long maxCallsOfOneCaller;
        long gracePeriods;
        long readerSections;
        long millis;
        /** Calls that saw more than MAX_NEEDED grace periods complete, and the most one saw. */
        long overlong;
        long worst;

        boolean ok() {
            return gracePeriods >= maxCallsOfOneCaller && gracePeriods * MIN_SHARING <= calls;
        }

        /** The latency bound, reported but not enforced by {@link #ok()} (see the class notes). */
        boolean latencyOk() {
            return overlong == 0;
        }

        @Override
        public String toString() {
            return String.format("%,d synchronize() calls by %d threads (at most %,d by one), "
                            + "%,d grace periods: %.2f calls per grace period (need >= %.2f; and grace periods "
                            + ">= %,d), %,d reader sections, %d ms",
                    calls, CALLERS, maxCallsOfOneCaller, gracePeriods,
                    gracePeriods == 0 ? 0.0 : (double) calls / gracePeriods, MIN_SHARING, maxCallsOfOneCaller,
                    readerSections, millis)
                    + String.format("; latency: %,d of %,d calls saw more than %d grace periods complete "
                    + "(at most %d)%s",
                    overlong, calls, MAX_NEEDED, worst, latencyOk() ? "" : ": a caller whose grace period had"
                            + " completed waited for gpLock behind grace periods it did not need");
        }
    }

    static Result run(long capMillis) throws InterruptedException {
        GraceDomain d = new GraceDomain();
        long gpBefore = d.gracePeriodsCompleted();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(capMillis);
        long[] calls = new long[CALLERS];
        long[] worst = new long[CALLERS];
        long[] overlong = new long[CALLERS];
        long[] sections = new long[READERS];
        CountDownLatch go = new CountDownLatch(1);
        boolean[] stop = new boolean[1];
        Object stopLock = new Object();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            int id = i;
            readers.add(GraceTortureStress.start("share-reader-" + i, () -> {
                int held = d.enter();
                while (!stopped(stop, stopLock)) {
                    LockSupport.parkNanos(PARK_NANOS);
                    int next = d.enter(); // hand over hand: a section is always open
                    d.exit(held);
                    held = next;
                    sections[id]++;
                }
                d.exit(held);
            }));
        }
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            int id = i;
            callers.add(GraceTortureStress.start("share-caller-" + i, () -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long most = 0;
                long over = 0;
                while (calls[id] < CALLS_EACH && System.nanoTime() - deadline < 0) {
                    long before = d.gracePeriodsCompleted();
                    d.synchronize();
                    long seen = d.gracePeriodsCompleted() - before;
                    most = Math.max(most, seen);
                    over += seen > MAX_NEEDED ? 1 : 0;
                    calls[id]++;
                }
                worst[id] = most;
                overlong[id] = over;
            }));
        }
        long t0 = System.nanoTime();
        go.countDown();
        for (Thread c : callers) {
            c.join();
        }
        long t1 = System.nanoTime();
        synchronized (stopLock) {
            stop[0] = true;
        }
        for (Thread r : readers) {
            r.join();
        }
        Result r = new Result();
        r.gracePeriods = d.gracePeriodsCompleted() - gpBefore;
        for (int i = 0; i < CALLERS; i++) {
            r.calls += calls[i];
            r.maxCallsOfOneCaller = Math.max(r.maxCallsOfOneCaller, calls[i]);
            r.worst = Math.max(r.worst, worst[i]);
            r.overlong += overlong[i];
        }
        for (long s : sections) {
            r.readerSections += s;
        }
        r.millis = TimeUnit.NANOSECONDS.toMillis(t1 - t0);
        return r;
    }

    private static boolean stopped(boolean[] stop, Object lock) {
        synchronized (lock) {
            return stop[0];
        }
    }

    /**
     * This harness as a bounded scenario of {@code StressMain --check}: {@value #CAP_MILLIS} ms times
     * {@code -Draceless.stress.scale}. It passes when both sharing bounds hold; with
     * {@code -Draceless.stress.strictLatency=true} the latency bound must hold too.
     */
    public static Scenario scenario() {
        return Scenario.bounded("SynchronizersShareStress", () -> {
            Result r = run((long) (CAP_MILLIS * Budget.scale()));
            boolean strict = Boolean.getBoolean("raceless.stress.strictLatency");
            return new Scenario.Verdict(r.ok() && (!strict || r.latencyOk()), r.toString());
        });
    }
}
