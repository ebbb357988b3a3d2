package dev.raceless.bench.grace;

import dev.raceless.grace.GraceDomain;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Background readers for the grace-period benchmarks: daemon threads, not JMH workers, that each
 * loop {@code enter()}, a little work, {@code exit()} on one {@link GraceDomain}, back to back,
 * until stopped. A reader is inside a section nearly all the time, so every grace period waits
 * for the remainder of one section per reader: the "short readers" case.
 *
 * <p>Why threads of our own and not {@code @Group} members: the report reads a benchmark's
 * primary result, and for a {@code @Group} that result merges every member's samples (SampleTime)
 * or operations (Throughput). Readers as group members would swamp the synchronizer's median
 * with their own nanosecond sections. As daemon threads they load the domain and stay out of
 * the score.
 */
final class ShortReaders {
    /*
     * Implementation notes: each reader counts its sections in a local and adds it to the shared
     * total once, when it stops, so the readers share no line but the domain's. The stop flag is
     * read once per section (a volatile read, a plain load on x86). The reader count "auto" is one
     * reader per CPU the synchronizer does not use (availableProcessors() - 1, at least 1): more
     * runnable threads than CPUs would measure the OS scheduler (a reader preempted inside its
     * section holds up the grace period for a time slice), not the domain.
     */

    /** {@link Blackhole#consumeCPU} tokens of work inside each section: some tens of ns. */
    static final long WORK_TOKENS = 16;

    private final Thread[] threads;
    private final AtomicLong sections = new AtomicLong();
    private volatile boolean stop;
    private volatile Throwable failure;

    /**
     * The reader count a {@code @Param} names: {@code "auto"} (one per spare CPU, at least 1), or
     * a number (0: no readers).
     */
    static int count(String readers) {
        if ("auto".equals(readers)) {
            return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        }
        int n = Integer.parseInt(readers);
        if (n < 0) {
            throw new IllegalArgumentException("readers must be \"auto\" or >= 0, was " + readers);
        }
        return n;
    }

    /** Starts {@code n} readers on {@code domain} whose sections do only the work. */
    ShortReaders(GraceDomain domain, int n) {
        this(domain, n, 0);
    }

    /**
     * Starts {@code n} readers on {@code domain}; with {@code parkNanos > 0} each section also
     * parks that long after its work (sections may block): long sections that cost no CPU.
     */
    ShortReaders(GraceDomain domain, int n, long parkNanos) {
        threads = new Thread[n];
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> read(domain, parkNanos), "short-reader-" + i);
            t.setDaemon(true);
            threads[i] = t;
        }
        for (Thread t : threads) {
            t.start();
        }
    }

    int size() {
        return threads.length;
    }

    private void read(GraceDomain domain, long parkNanos) {
        long n = 0;
        try {
            while (!stop) {
                int token = domain.enter();
                Blackhole.consumeCPU(WORK_TOKENS);
                if (parkNanos > 0) {
                    LockSupport.parkNanos(parkNanos);
                }
                domain.exit(token);
                n++;
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            sections.addAndGet(n);
        }
    }

    /**
     * Stops the readers and waits for them.
     *
     * @return the sections they ran, in all
     * @throws IllegalStateException if a reader failed or did not stop, or (with readers) if they
     *         ran no section at all, which would make the "under readers" figure a lie
     */
    long stop() throws InterruptedException {
        stop = true;
        for (Thread t : threads) {
            t.join(10_000);
            if (t.isAlive()) {
                throw new IllegalStateException(t.getName() + " did not stop");
            }
        }
        if (failure != null) {
            throw new IllegalStateException("a reader failed", failure);
        }
        long n = sections.get();
        if (threads.length > 0 && n == 0) {
            throw new IllegalStateException(threads.length + " readers ran no section");
        }
        return n;
    }
}
