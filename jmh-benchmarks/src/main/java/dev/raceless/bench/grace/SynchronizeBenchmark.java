package dev.raceless.bench.grace;

import dev.raceless.grace.GraceDomain;
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

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * How long does one {@link GraceDomain#synchronize()} take, from call to return, with no reader
 * at all and with readers running short sections back to back?
 *
 * <ul>
 * <li>{@code noReaders}: no section is ever open. A grace period is then the lock, two stripe
 *     scans that find nothing (one per epoch index), the index flip and the unlock: no waiting,
 *     no parking. This is the floor of an updater's cost.</li>
 * <li>{@code shortReaders}: {@code readers} daemon threads (see {@link ShortReaders}) each loop
 *     enter / {@code Blackhole.consumeCPU(16)} / exit, so at almost any instant each reader is in
 *     a section. Every grace period waits for the remainder of the section each reader is in when
 *     the index flips (sections that begin after the flip are not waited for), spinning at first
 *     and parking if that takes longer than a few microseconds. The figure is the synchronizer's
 *     alone; the readers are not JMH threads and are not in the score. On a loaded machine a
 *     reader is sometimes descheduled between two sections; the calls that fall into such a gap
 *     find nothing to wait for and cost what {@code noReaders} costs, which pulls the median
 *     down. The trial prints how many sections the readers ran, to show they did run.</li>
 * </ul>
 *
 * <p>SampleTime gives the distribution: the bars read the median, and p99 shows the waits that
 * ended in a park (or a reader preempted inside its section, on a busy machine).
 * {@code synchronize()} returns nothing, so the methods are void: its lock and volatile accesses
 * keep it from being dead code.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(1)
@Threads(1) // by design: one synchronizer; the readers are threads of their own
public class SynchronizeBenchmark {

    /** A domain nobody reads. */
    @State(Scope.Benchmark)
    public static class Quiet {
        GraceDomain domain;

        @Setup(Level.Trial)
        public void setUp() {
            domain = new GraceDomain();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            domain.close();
        }
    }

    /** A domain with short readers running for the whole trial. */
    @State(Scope.Benchmark)
    public static class Busy {
        /** "auto": one reader per CPU the synchronizer leaves free (at least 1); or a number. */
        @Param({"auto"})
        String readers;

        GraceDomain domain;
        ShortReaders running;

        @Setup(Level.Trial)
        public void startReaders() {
            domain = new GraceDomain();
            running = new ShortReaders(domain, ShortReaders.count(readers));
        }

        @TearDown(Level.Trial)
        public void stopReaders() throws InterruptedException {
            long sections = running.stop();
            domain.close();
            System.out.printf(Locale.ROOT, "%n%d readers ran %d sections; %s%n", running.size(), sections, domain);
        }
    }

    @Benchmark
    public void noReaders(Quiet s) {
        s.domain.synchronize();
    }

    @Benchmark
    public void shortReaders(Busy s) {
        s.domain.synchronize();
    }

    /*
     * How to run (from the top of the repository):
     *
     *   mvn -B -q -pl primitives,jmh-benchmarks -am -DskipTests package
     *   java -jar jmh-benchmarks/target/benchmarks.jar SynchronizeBenchmark -prof gc \
     *        -rf json -rff synchronize.json
     *
     * Quick look: add -wi 3 -w 1s -i 5 -r 1s -f 1. Do not pass -t: the benchmark thread is the one
     * synchronizer and the readers are threads of their own (-p readers=N to choose how many; on
     * a machine with few cores, more readers than spare CPUs measures the scheduler). Read p0.50
     * (the bar) and p0.99. B/op should be a fraction of a byte (JMH's own per-iteration garbage
     * spread over the samples): synchronize() allocates nothing, parking included.
     */
}
