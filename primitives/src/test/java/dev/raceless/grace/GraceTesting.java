package dev.raceless.grace;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Helpers shared by the GraceDomain tests: waiting for a thread to reach a known blocking point,
 * and reading the completed grace-period count.
 *
 * <p>Nothing here measures time to decide an outcome: the deadlines only turn a hang into a
 * failure with a message.
 */
final class GraceTesting {
    /** Generous: the box has 2 cores and other builds run beside the tests. */
    static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private GraceTesting() {
    }

    /**
     * Waits until {@code t} is parked inside a drain of {@code domain}: {@code drain()} parks with
     * the domain as blocker, so this is the point where an updater waits for a reader.
     */
    static void awaitParkedInDrain(Thread t, GraceDomain domain) {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        while (!(LockSupport.getBlocker(t) == domain && isWaiting(t))) {
            if (!t.isAlive()) {
                fail(t.getName() + " ended instead of waiting for the grace period");
            }
            if (System.nanoTime() - deadline > 0) {
                fail(t.getName() + " did not park in drain(); state " + t.getState());
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** Waits until {@code t} is blocked (parked on anything, e.g. the grace-period lock). */
    static void awaitBlocked(Thread t) {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        while (!isWaiting(t)) {
            if (!t.isAlive()) {
                fail(t.getName() + " ended instead of blocking");
            }
            if (System.nanoTime() - deadline > 0) {
                fail(t.getName() + " did not block; state " + t.getState());
            }
            Thread.yield();
        }
    }

    private static boolean isWaiting(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
    }

    /** Joins {@code t}, failing the test if it does not end in time. */
    static void join(Thread t) throws InterruptedException {
        t.join(TimeUnit.NANOSECONDS.toMillis(PATIENCE_NANOS));
        if (t.isAlive()) {
            fail(t.getName() + " still running; state " + t.getState());
        }
    }

    /** Starts a platform thread. */
    static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The completed grace periods. */
    static long gracePeriods(GraceDomain domain) {
        return domain.gracePeriodsCompleted();
    }
}
