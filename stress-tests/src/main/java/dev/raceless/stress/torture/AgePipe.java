package dev.raceless.stress.torture;

import dev.raceless.stress.harness.Run;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * rcutorture's pipe check, shared by the grace-period scenarios ({@link GraceDomainTorture},
 * {@link QuiescentDomainTorture}): the object readers find and its <em>age</em> (0 while
 * published, 1 once unpublished, 2 once a grace period has completed after that, 3 once freed),
 * the updater that frees through {@code callAfterGrace}, and the forward-progress monitor. A
 * reader may see age 0 or 1; 2 or more means a whole grace period ran while it held the object.
 * Counters and errors are named with the scenario's prefix ({@code "grace"}, {@code "qsbr"}).
 */
final class AgePipe {
    /** The published object: age 0 published, 1 unpublished, 2 a grace period later, 3 freed. */
    static final class Node {
        volatile int age;
    }

    private final String prefix;
    private volatile Node published = new Node();
    /** Set while a reader holds its section (or its reads) past the stall threshold on purpose. */
    volatile boolean stallInjected;

    AgePipe(String prefix) {
        this.prefix = prefix;
    }

    /**
     * Ends an injected stall, once the stalling reader has let go (exit, quiescent state): the stall
     * stays injected until {@code synchronize} returns. A wait that began during the stall may cross
     * the threshold at the very moment the reader lets go and report just after it; the grace period
     * that {@code synchronize} waits for follows every such wait, so each report is made by then.
     */
    void endInjectedStall(Runnable synchronize) {
        synchronize.run();
        stallInjected = false;
    }

    /** The object a reader finds now. */
    Node published() {
        return published;
    }

    /** Replaces the published object; the old one is 1 (unpublished) on return. */
    Node unpublish() {
        Node old = published;
        published = new Node();
        old.age = 1;
        return old;
    }

    /** What an updater does once a grace period has completed after the unpublish. */
    static void free(Node old) {
        old.age = 2;
        old.age = 3;
    }

    /** One way an updater waits for a grace period; returns the name of its latency histogram. */
    @FunctionalInterface
    interface Wait {
        String await(ThreadLocalRandom random) throws InterruptedException;
    }

    /**
     * The synchronous updater: unpublishes, waits for a grace period in one of {@code waits} chosen
     * at random (its latency recorded under the name it returns), frees, and parks for up to
     * {@code maxParkNanos} (0: not at all). Returns when the run ends or the thread is interrupted.
     */
    void synchronizeAndFree(Run t, int maxParkNanos, Wait... waits) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (t.running()) {
            Node old = unpublish();
            long start = System.nanoTime();
            String kind;
            try {
                kind = waits[random.nextInt(waits.length)].await(random);
            } catch (InterruptedException e) {
                return;
            }
            t.latency(kind, System.nanoTime() - start);
            free(old);
            t.op(prefix + " synchronized free"); // pairs with "deferred free"
            if (maxParkNanos > 0) {
                LockSupport.parkNanos(random.nextInt(maxParkNanos));
            }
        }
    }

    /**
     * The deferring updater: unpublishes and queues the free with {@code callAfterGrace}, and every
     * 64 rounds waits in {@code barrier}, after which the free queued before it must have run.
     * Returns when the run ends; the caller drains or closes the domain.
     */
    void deferFrees(Run t, Consumer<Runnable> callAfterGrace, Runnable barrier) {
        long round = 0;
        while (t.running()) {
            round++;
            Node old = unpublish();
            callAfterGrace.accept(() -> free(old));
            t.op(prefix + " deferred free");
            if (round % 64 == 0) {
                long start = System.nanoTime();
                barrier.run();
                t.latency(prefix + " barrier", System.nanoTime() - start);
                if (old.age != 3) {
                    t.error(prefix + " deferred action lost",
                            "barrier() returned before the free queued before it ran");
                }
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    /**
     * Forward progress: the count of completed grace periods must move at least once a second
     * unless an injected stall holds it (rcutorture's "grace periods per second never zero").
     */
    void monitorProgress(Run t, LongSupplier gracePeriodsCompleted, Object domain) {
        long last = gracePeriodsCompleted.getAsLong();
        long lastMoved = System.nanoTime();
        while (t.running()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            long now = System.nanoTime();
            long gp = gracePeriodsCompleted.getAsLong();
            if (gp != last || stallInjected) {
                last = gp;
                lastMoved = now;
            } else if (now - lastMoved > TimeUnit.SECONDS.toNanos(1)) {
                t.error(prefix + " no forward progress", "no grace period completed for "
                        + TimeUnit.NANOSECONDS.toMillis(now - lastMoved) + " ms, no stall injected: " + domain);
                lastMoved = now; // one error per lost second
            }
        }
    }
}
