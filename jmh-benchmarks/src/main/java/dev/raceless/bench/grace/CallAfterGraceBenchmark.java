package dev.raceless.bench.grace;

import dev.raceless.grace.GraceDomain;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * How many deferred actions per second can {@link GraceDomain#callAfterGrace(Runnable)} take, and
 * how long does a {@link GraceDomain#barrier()} behind a few queued actions take?
 *
 * <ul>
 * <li>{@code callAfterGrace}: Throughput (ops/s summed over threads), two JMH threads by default
 *     ({@code @Threads(2)}; {@code -t} overrides it). Each op queues one action, a shared
 *     preallocated {@link Tally} that adds one to a field, so the op costs the gate's use pair,
 *     the queue node (an allocation, about 24 B: B/op is not 0 here, by the API's contract) and
 *     the CAS on the queue's tail. Meanwhile the domain's action thread drains the queue: one
 *     grace period per batch (no readers here, so a short one), then runs the batch.</li>
 * <li>{@code barrierLatency}: SampleTime, one thread. Each op queues {@link #QUEUED} actions and
 *     then calls {@code barrier()}, so it includes those enqueues (tens of ns each), waking the
 *     action thread, one or two grace periods, running the actions and the barrier's marker, and
 *     the wake-up of the caller.</li>
 * </ul>
 *
 * <p><b>Queue growth.</b> {@code callAfterGrace} never blocks, so nothing stops the callers from
 * queueing faster than the action thread runs (on two cores the three threads share two CPUs).
 * The backlog is bounded by the iteration: {@code @TearDown(Level.Iteration)} calls
 * {@code barrier()}, which waits until every action queued in the iteration has run, outside the
 * timed region. So the score is the rate at which callers can queue, not a sustained rate of
 * actions run; at the end of the trial the benchmark prints how long those barriers waited in
 * all (the backlog's cost), and checks that every action it queued has run.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(1)
@State(Scope.Benchmark)
public class CallAfterGraceBenchmark {

    /** Actions queued before each barrier in {@code barrierLatency}. */
    static final int QUEUED = 4;

    /**
     * The deferred action: adds one to a plain field. Only the domain's action thread runs it, so
     * no atomic is needed; barrier() orders its writes before our read (the marker's completion
     * happens-before barrier() returns).
     */
    static final class Tally implements Runnable {
        long runs;

        @Override
        public void run() {
            runs++;
        }
    }

    GraceDomain domain;
    Tally tally;
    long drainNanos;
    int iterations;

    @Setup(Level.Trial)
    public void setUp() {
        domain = new GraceDomain();
        tally = new Tally();
    }

    /** Not timed: lets the action thread catch up, so the backlog never outlives an iteration. */
    @TearDown(Level.Iteration)
    public void drain() {
        long t0 = System.nanoTime();
        domain.barrier();
        drainNanos += System.nanoTime() - t0;
        iterations++;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        domain.close(); // runs whatever is left (nothing: the last iteration's barrier drained it)
        if (tally.runs == 0) {
            throw new IllegalStateException("no deferred action ran: " + domain);
        }
        System.out.printf(Locale.ROOT, "%n%d actions run; barrier() at the ends of %d iterations waited "
                + "%.1f ms in all for the backlog%n", tally.runs, iterations, drainNanos / 1e6);
    }

    @Benchmark
    @Threads(2) // a default: -t overrides it
    public void callAfterGrace() {
        domain.callAfterGrace(tally);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(1)
    public void barrierLatency() {
        GraceDomain d = domain;
        Tally a = tally;
        for (int i = 0; i < QUEUED; i++) {
            d.callAfterGrace(a);
        }
        d.barrier();
    }

    /*
     * How to run (from the top of the repository):
     *
     *   mvn -B -q -pl primitives,jmh-benchmarks -am -DskipTests package
     *   java -jar jmh-benchmarks/target/benchmarks.jar CallAfterGraceBenchmark -prof gc \
     *        -rf json -rff call-after-grace.json
     *
     * Quick look: add -wi 3 -w 1s -i 5 -r 1s -f 1. Passing -t sets the callers of callAfterGrace
     * (and would also run barrierLatency from that many threads: select one method with a regex,
     * 'CallAfterGraceBenchmark.callAfterGrace', when you do). Both methods return nothing: queueing
     * and waiting are their effects. B/op: about 24 for callAfterGrace (the queue node, plus the
     * action thread's batch list growing now and then); barrierLatency allocates the barrier's
     * marker future and lambda and the nodes, a few hundred bytes per op.
     */
}
