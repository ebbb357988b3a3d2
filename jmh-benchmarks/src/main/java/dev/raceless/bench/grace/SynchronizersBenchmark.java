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

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Do concurrent {@link GraceDomain#synchronize()} callers share grace periods? Aggregate
 * throughput (synchronize() calls returned per second, all threads) of one synchronizer against
 * two on the same domain, with short readers running in the background.
 *
 * <p>If every call ran a grace period of its own, two callers would take turns on the domain's
 * grace-period lock and together reach at most the rate of one (less, for the hand-offs). A
 * caller that arrives while a grace period is running needs the next one; if a second caller
 * arrives before that next one starts, the one grace period serves both and the second returns
 * without waiting. So two callers can approach twice the rate of one, when a grace period (not
 * the lock hand-off) is what a call costs: that is why the readers run (see {@link ShortReaders};
 * {@code -p readers=0} for none, where a grace period is a few hundred ns and the lock hand-off
 * dominates; {@code -p readerParkNanos=20000} for sections that block, long grace periods that
 * cost no CPU).
 *
 * <ul>
 * <li>{@code oneSynchronizer}: one JMH thread calling {@code synchronize()} in a loop.</li>
 * <li>{@code twoSynchronizers}: the same loop on two JMH threads at once ({@code @Threads(2)}).
 *     The score is the sum over both threads, as for any Throughput benchmark.</li>
 * </ul>
 *
 * <p>The two methods have the same body on purpose; only the thread count differs. Each also
 * adds one to its thread's own counter (a plain increment, about a nanosecond against a
 * synchronize() of a hundred or more). The bar (two ≥ 1.5× one) compares their scores from one
 * run.
 *
 * <p><b>Reading the score.</b> A grace period with no section open costs about as much as a
 * lock and two stripe scans, and one thread can run millions of those a second. A reader that
 * is descheduled between two sections (on a loaded machine, typically right after its exit has
 * unparked the synchronizer) leaves such gaps, and the calls that fall into them inflate
 * both scores and hide any sharing. So each trial also prints the number of calls and of grace
 * periods the domain completed: calls per grace period above 1 is sharing, measured directly,
 * whatever the machine's load.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(1)
@State(Scope.Benchmark)
public class SynchronizersBenchmark {

    /** "auto": one reader per spare CPU (at least 1); a number; 0 for none. */
    @Param({"auto"})
    String readers;

    /** How long each reader section parks after its work, in ns; 0: it does not park. */
    @Param({"0"})
    long readerParkNanos;

    GraceDomain domain;
    ShortReaders running;
    /** Every thread's call counter, for the calls-per-grace-period line. */
    final List<Caller> callers = new CopyOnWriteArrayList<>();

    /** Counts one thread's calls: a plain increment on its own object, next to a synchronize(). */
    @State(Scope.Thread)
    public static class Caller {
        long calls;

        @Setup(Level.Trial)
        public void register(SynchronizersBenchmark b) {
            b.callers.add(this);
        }
    }

    @Setup(Level.Trial)
    public void startReaders() {
        domain = new GraceDomain();
        running = new ShortReaders(domain, ShortReaders.count(readers), readerParkNanos);
    }

    @TearDown(Level.Trial)
    public void stopReaders() throws InterruptedException {
        long sections = running.stop();
        String d = domain.toString(); // "GraceDomain[name, grace periods completed: N]"
        domain.close();
        long calls = callers.stream().mapToLong(c -> c.calls).sum();
        Matcher m = Pattern.compile("grace periods completed: (\\d+)").matcher(d);
        long gps = m.find() ? Long.parseLong(m.group(1)) : -1;
        System.out.printf(Locale.ROOT, "%n%d synchronize() calls on %d threads, %d grace periods: %.2f calls per "
                        + "grace period (1.00: none shared); %d reader sections%n", calls, callers.size(), gps,
                gps > 0 ? (double) calls / gps : Double.NaN, sections);
    }

    @Benchmark
    @Threads(1)
    public void oneSynchronizer(Caller c) {
        domain.synchronize();
        c.calls++;
    }

    @Benchmark
    @Threads(2)
    public void twoSynchronizers(Caller c) {
        domain.synchronize();
        c.calls++;
    }

    /*
     * How to run (from the top of the repository):
     *
     *   mvn -B -q -pl primitives,jmh-benchmarks -am -DskipTests package
     *   java -jar jmh-benchmarks/target/benchmarks.jar SynchronizersBenchmark -prof gc \
     *        -rf json -rff synchronizers.json
     *
     * Quick look: add -wi 3 -w 1s -i 5 -r 1s -f 1. Do NOT pass -t: it would override both
     * methods' @Threads and make the comparison meaningless. Add -p readers=0,auto to see the
     * case without readers too. synchronize() is void: the methods return nothing, and its lock
     * and volatile accesses keep it alive. B/op: a caller that queues on the grace-period lock
     * allocates an AQS node, so twoSynchronizers is not expected to be 0.
     */
}
