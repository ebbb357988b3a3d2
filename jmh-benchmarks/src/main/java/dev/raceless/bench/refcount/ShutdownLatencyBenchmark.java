package dev.raceless.bench.refcount;

import dev.raceless.refcount.UseCount;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * How long does it take from {@link UseCount#shutdown()} to the return of
 * {@link UseCount#awaitTermination()} when {@code uses} uses are held and are dropped as soon as
 * the shutdown is seen? This prices the library itself, not the calls in flight (a real holder
 * drops its use when its call ends, whenever that is).
 *
 * <ul>
 * <li>{@code inlineCycle}: one thread runs a whole life: {@code tryAcquire()} {@code uses} times,
 *     {@code shutdown()}, {@code release()} {@code uses} times, {@code awaitTermination()}
 *     (already complete: it does not park), {@code reopen()}. No per-invocation setup; the takes
 *     and the reopen are cheap and are included. Each release while {@code GOING} sums all
 *     stripes, so the cost grows with {@code uses x stripes}.</li>
 * <li>{@code crossThread}: one holder thread (a daemon started per trial) takes {@code uses} uses
 *     in {@code @Setup(Level.Invocation)}, which is not timed; the benchmark thread then times
 *     {@code shutdown(); awaitTermination();}. The holder spins on {@code state()}, sees
 *     {@code GOING} and drops its uses; the last drop completes the termination future, which
 *     unparks the waiter if it had parked. So the figure includes one cache-line round trip to the
 *     holder and, usually, one park/unpark.</li>
 * </ul>
 *
 * <p>Why one holder thread and not N: this machine has 2 cores; a spinning holder per core plus
 * the benchmark thread would measure the OS scheduler, not the count.
 *
 * <p>{@code @Setup(Level.Invocation)} adds timer overhead to every sample (JMH's Javadoc warns
 * about it for short methods); {@code crossThread} lasts microseconds, so it is small against it.
 * SampleTime gives the distribution: read p0.50 and p0.99 as well as the mean.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(1)
@Threads(1) // by design: the holder is a thread of its own, not a JMH worker
public class ShutdownLatencyBenchmark {

    /** A count used by one thread for whole lives. */
    @State(Scope.Thread)
    public static class Inline {
        @Param({"1", "4"})
        int uses;

        UseCount count;

        @Setup(Level.Trial)
        public void setUp() {
            count = new UseCount();
        }
    }

    @Benchmark
    public boolean inlineCycle(Inline s) throws InterruptedException {
        UseCount c = s.count;
        int uses = s.uses;
        for (int i = 0; i < uses; i++) {
            if (!c.tryAcquire()) {
                throw new IllegalStateException("a fresh life refused a use: " + c);
            }
        }
        c.shutdown();
        for (int i = 0; i < uses; i++) {
            c.release();
        }
        c.awaitTermination();
        return c.reopen(); // true: the count was DEAD, as it must be
    }

    /** A count whose uses are held by a holder thread that drops them when it sees the shutdown. */
    @State(Scope.Thread)
    public static class Held {
        @Param({"1", "4"})
        int uses;

        UseCount count;
        Thread holder;
        /** Rounds asked for by the benchmark thread; the holder takes its uses once per round. */
        volatile long roundsAsked;
        /** Rounds in which the holder has taken its uses. */
        volatile long roundsHeld;
        volatile boolean stop;
        volatile Throwable holderFailure;

        @Setup(Level.Trial)
        public void startHolder() {
            count = new UseCount();
            count.shutdown(); // DEAD: every invocation starts with a reopen
            holder = new Thread(this::holderLoop, "use-holder");
            holder.setDaemon(true);
            holder.start();
        }

        private void holderLoop() {
            try {
                long done = 0;
                while (!stop) {
                    if (roundsAsked == done) {
                        Thread.onSpinWait();
                        continue;
                    }
                    UseCount c = count;
                    for (int i = 0; i < uses; i++) {
                        if (!c.tryAcquire()) {
                            throw new IllegalStateException("holder refused in a fresh life: " + c);
                        }
                    }
                    roundsHeld = ++done;
                    while (c.state() == UseCount.State.LIVE) { // the shutdown being timed
                        Thread.onSpinWait();
                    }
                    for (int i = 0; i < uses; i++) {
                        c.release();
                    }
                }
            } catch (Throwable t) {
                holderFailure = t;
            }
        }

        /** Not timed: reopen the count and wait until the holder holds its uses. */
        @Setup(Level.Invocation)
        public void holderTakesUses() {
            if (!count.reopen()) {
                throw new IllegalStateException("the previous life did not end: " + count);
            }
            long round = roundsAsked + 1;
            roundsAsked = round;
            while (roundsHeld != round) {
                if (holderFailure != null) {
                    throw new IllegalStateException("holder failed", holderFailure);
                }
                Thread.onSpinWait();
            }
        }

        @TearDown(Level.Trial)
        public void stopHolder() throws InterruptedException {
            stop = true;
            holder.join(10_000);
        }
    }

    @Benchmark
    public boolean crossThread(Held s) throws InterruptedException {
        UseCount c = s.count;
        c.shutdown();
        c.awaitTermination();
        return c.state() == UseCount.State.DEAD;
    }

    /*
     * How to run (from the top of the repository):
     *
     *   mvn -B -q -pl jmh-benchmarks package
     *   java -jar jmh-benchmarks/target/benchmarks.jar ShutdownLatencyBenchmark -prof gc \
     *        -rf json -rff shutdown-latency.json
     *
     * Quick look: add -wi 3 -w 1s -i 5 -r 1s -f 1. Do not pass -t: the holder is its own thread.
     * B/op is not 0 here and should not be: reopen() installs a new termination future, and a
     * waiter that parks allocates its CompletableFuture signaller.
     */
}
