package dev.raceless.bench.refcount;

import dev.raceless.bench.peers.UsePairPeers;
import dev.raceless.grace.GraceDomain;
import dev.raceless.refcount.ReadSide;
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

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Does a benchmark thread get the slot path when other threads touched the count first? The
 * {@code @Setup} starts {@code touchers} platform threads that each take and drop a use of the
 * {@link UseCount} and run an empty section of the {@link GraceDomain}, and keeps them alive
 * (parked) for the whole trial, so that their slots stay owned; only then do the benchmark threads
 * start. Each benchmark thread must still count in a slot of its own: the read side gives one to
 * every live platform thread, whatever its id.
 *
 * <p>Methods, each one pair or one section by one thread (ns per operation per thread in
 * AverageTime; {@code -bm thrpt} gives the aggregate of all threads):
 * <ul>
 * <li>{@code useCount}: {@code tryAcquire()} + {@code release()}.</li>
 * <li>{@code useCountLocal}: the same through the thread's {@code UseCount.Local}.</li>
 * <li>{@code graceSection}: {@code enter()} + {@code exit(token)}.</li>
 * <li>{@code graceSectionLocal}: the same through the thread's {@code GraceDomain.Local}.</li>
 * <li>{@code longAdderFlag}: the peer, {@code LongAdder} inc, read a volatile flag, dec.</li>
 * </ul>
 * The flavour is the JVM's ({@code ReadSide}): compare ASYMMETRIC and FENCED by running the class
 * twice with {@code -Ddev.raceless.readside=...} (commands at the end).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(1)
@Threads(1) // a default only: pass -t on the command line
@State(Scope.Benchmark)
public class TouchedFirstPairBenchmark extends UsePairPeers {

    /** Platform threads that use the count and the domain before the benchmark threads, and stay alive. */
    @Param({"16"})
    int touchers;

    // useCount, longAdder, closed and the useCount benchmark: UsePairPeers
    GraceDomain domain;
    private CountDownLatch end;
    private Thread[] touching;

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        useCount = new UseCount();
        domain = new GraceDomain();
        longAdder = new LongAdder();
        end = new CountDownLatch(1);
        CountDownLatch touched = new CountDownLatch(touchers);
        touching = new Thread[touchers];
        for (int i = 0; i < touchers; i++) {
            touching[i] = new Thread(() -> {
                if (useCount.tryAcquire()) {
                    useCount.release();
                }
                domain.exit(domain.enter());
                touched.countDown();
                try {
                    end.await(); // alive, so its slots stay its own
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "toucher-" + i);
            touching[i].setDaemon(true);
            touching[i].start();
        }
        touched.await();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        end.countDown();
        for (Thread t : touching) {
            t.join();
        }
        if (useCount.estimate() != 0 || longAdder.sum() != 0) {
            throw new IllegalStateException("unbalanced after the run: " + useCount + ", LongAdder "
                    + longAdder.sum());
        }
        System.out.println("\n" + ReadSide.active() + ": " + useCount + "; " + domain);
    }

    /** Each benchmark thread's own views, made on that thread. */
    @State(Scope.Thread)
    public static class PerThread {
        UseCount.Local useLocal;
        GraceDomain.Local graceLocal;

        @Setup
        public void setUp(TouchedFirstPairBenchmark b) {
            useLocal = b.useCount.local();
            graceLocal = b.domain.local();
        }
    }

    @Benchmark
    public boolean useCountLocal(PerThread t) {
        UseCount.Local l = t.useLocal;
        if (!l.tryAcquire()) {
            return false;
        }
        l.release();
        return true;
    }

    @Benchmark
    public int graceSection() {
        GraceDomain d = domain;
        int token = d.enter();
        d.exit(token);
        return token;
    }

    @Benchmark
    public int graceSectionLocal(PerThread t) {
        GraceDomain.Local l = t.graceLocal;
        int token = l.enter();
        l.exit(token);
        return token;
    }

    @Benchmark
    public boolean longAdderFlag() {
        LongAdder c = longAdder;
        c.increment();
        if (closed) {
            c.decrement();
            return false;
        }
        c.decrement();
        return true;
    }

    /*
     * How to run (from the top of the repository, after ./mvnw -B -q -DskipTests package), on JDK 25,
     * each flavour in its own run, 1 and 2 threads (the never-slower-than-FENCED comparison):
     *
     *   J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
     *   for f in asymmetric fenced; do for t in 1 2; do
     *     $J -jar jmh-benchmarks/target/benchmarks.jar TouchedFirstPairBenchmark -t $t -f 3 -prof gc \
     *        -jvmArgsAppend "--enable-native-access=ALL-UNNAMED -Ddev.raceless.readside=$f" \
     *        -rf json -rff touched-$f-t$t.json
     *   done; done
     *
     * Aggregate throughput at 2, 16 and 64 threads (the scaling comparison: 16 and 64 against 2):
     *
     *   for t in 2 16 64; do
     *     $J -jar jmh-benchmarks/target/benchmarks.jar TouchedFirstPairBenchmark -bm thrpt -tu us -t $t -f 3 \
     *        -jvmArgsAppend "--enable-native-access=ALL-UNNAMED -Ddev.raceless.readside=asymmetric \
     *                        -XX:PerMethodTrapLimit=1000" \
     *        -rf json -rff touched-thrpt-t$t.json
     *   done
     *
     * Why the trap limit: JMH's measurement loop leaves each iteration through a branch C2 compiled
     * as an uncommon trap, and every benchmark thread takes that trap once (-Xlog:deoptimization=debug
     * shows one unstable_if at the stub's loop exit per thread). Past C2's default of 100 traps per
     * method, the recompiled loop keeps every branch its profile never took, so the pair's slow paths
     * become calls in the loop. With 64 threads that is the harness's doing, not the count's: a
     * server's worker loop takes no trap per thread. The flag keeps the loop that 2 or 16 threads get.
     *
     * The tear-down prints the flavour, the count and the domain (with their numbers of thread
     * slots): touchers + benchmark threads slots each in the ASYMMETRIC flavour.
     */
}
