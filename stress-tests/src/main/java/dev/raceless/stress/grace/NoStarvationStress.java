package dev.raceless.stress.grace;

import dev.raceless.grace.GraceDomain;
import dev.raceless.stress.harness.Budget;
import dev.raceless.stress.harness.Scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * No starvation by new readers (rule 2): a flood of very short sections on several threads,
 * hand over hand (each thread opens its next section before ending the last one, so at every
 * instant every flooding thread has a section open), and one updater that must
 * complete {@link #GRACE_PERIODS} synchronize() calls within the wall-clock cap. A grace period
 * that waited for "no section open anywhere" would never finish here; GraceDomain's
 * flip sends new sections to the other index, so each drain only waits for sections that were
 * already running.
 *
 * <pre>
 * How to run:  java -cp stress-tests/target/jcstress.jar \
 *                  dev.raceless.stress.harness.StressMain --check --only NoStarvation
 * Exit status 0 if the updater finished in time.
 * </pre>
 */
public final class NoStarvationStress {
    static final long CAP_MILLIS = 8_000;
    static final int READERS = 3;
    static final int GRACE_PERIODS = 100;

    private NoStarvationStress() {
    }

    /** What one run saw. */
    static final class Result {
        long completed;
        long readerSections;
        long millis;
        long capMillis;

        boolean ok() {
            return completed == GRACE_PERIODS;
        }

        @Override
        public String toString() {
            return String.format("%,d of %,d synchronize() calls done in %d ms (cap %d ms) under %,d "
                            + "reader sections on %d flooding threads",
                    completed, GRACE_PERIODS, millis, capMillis, readerSections, READERS);
        }
    }

    static Result run(long capMillis) throws InterruptedException {
        GraceDomain d = new GraceDomain();
        long[] sections = new long[READERS];
        boolean[] stop = {false};
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            int id = i;
            readers.add(GraceTortureStress.start("flood-" + i, () -> {
                long n = 0;
                int held = d.enter();
                while (!stopped(stop)) {
                    for (int k = 0; k < 1000; k++) { // the stop check is off the hot path
                        int next = d.enter(); // hand over hand: this thread always has a section open
                        d.exit(held);
                        held = next;
                        n++;
                    }
                }
                d.exit(held);
                sections[id] = n;
            }));
        }
        Thread.sleep(50); // let the flood start
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(capMillis);
        long[] done = new long[1];
        Thread updater = GraceTortureStress.start("updater", () -> {
            while (done[0] < GRACE_PERIODS && System.nanoTime() - deadline < 0) {
                d.synchronize();
                done[0]++;
            }
        });
        updater.join(capMillis + 1000);
        Result r = new Result();
        r.millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        r.capMillis = capMillis;
        synchronized (stop) {
            stop[0] = true;
        }
        for (Thread t : readers) {
            t.join();
        }
        updater.join(); // a starved updater is unblocked once the flood stops
        r.completed = done[0];
        for (long s : sections) {
            r.readerSections += s;
        }
        return r;
    }

    private static boolean stopped(boolean[] stop) {
        synchronized (stop) {
            return stop[0];
        }
    }

    /**
     * This harness as a bounded scenario of {@code StressMain --check}: {@value #CAP_MILLIS} ms times
     * {@code -Draceless.stress.scale}; it passes if the updater finished in time.
     */
    public static Scenario scenario() {
        return Scenario.bounded("NoStarvationStress", () -> {
            Result r = run((long) (CAP_MILLIS * Budget.scale()));
            return new Scenario.Verdict(r.ok(), r.toString());
        });
    }
}
