package dev.raceless.bench.grace;

import dev.raceless.bench.peers.LockPairPeers;
import dev.raceless.grace.GraceDomain;
import dev.raceless.refcount.UseCount;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/**
 * What does one reader section (enter, then exit) cost on ONE {@link GraceDomain} shared by all
 * benchmark threads, against the JDK read locks a reader could use instead and the
 * {@link UseCount} pair?
 *
 * <p>Each {@code @Benchmark} method is one empty section by one thread: the score (AverageTime,
 * ns/op) is the time a thread spends per section. The thread count comes from the command line
 * ({@code -t}); aggregate throughput is {@code threads / score}. No updater runs: this is the read
 * side alone, the case a reader pays for on every call.
 *
 * <ul>
 * <li>{@code enterExit}: {@code GraceDomain.enter()} + {@code exit(token)}: a store to the
 *     thread's own slot each (ASYMMETRIC: no fence; FENCED: one volatile store on entry), plus a
 *     volatile read of the epoch index and of the drain flag.</li>
 * <li>{@code enterExitLocal}: the same section through the thread's {@code GraceDomain.Local}
 *     (made once per benchmark thread): the slot is in hand, so the lookup is one compare of the
 *     current thread.</li>
 * <li>{@code longAdderFlag}: {@code LongAdder} increment, read a flag, decrement: the cheapest
 *     "reader count" a JDK user would write (it has no exact zero test: a peer for speed only).</li>
 * <li>{@code rwLockRead}: {@code ReentrantReadWriteLock} read {@code tryLock()} / {@code unlock()}:
 *     a CAS on the lock's one state word each (plus the first-reader / hold-count bookkeeping).</li>
 * <li>{@code stampedRead}: {@code StampedLock.tryReadLock()} / {@code unlockRead(stamp)}: a CAS on
 *     the one state word each. (An optimistic read, {@code tryOptimisticRead()} + {@code validate},
 *     writes nothing and would be cheaper still, but it gives no section an updater can wait for:
 *     it is a different contract, so it is not a peer here.)</li>
 * <li>{@code useCount}: {@code UseCount.tryAcquire()} + {@code release()}, default stripes: the
 *     same mechanism as a section, with a refusal test instead of an epoch index.</li>
 * </ul>
 *
 * <p>Each method returns a value so that nothing is dead code.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(1)
@Threads(1) // a default only: pass -t 1,2,4,8 on the command line
@State(Scope.Benchmark)
public class ReadSideBenchmark extends LockPairPeers {

    // useCount, longAdder, rwReadLock, stamped, closed and three benchmarks: LockPairPeers
    GraceDomain domain;

    @Setup
    public void setUp() {
        domain = new GraceDomain();
        rwReadLock = new ReentrantReadWriteLock().readLock();
        stamped = new StampedLock();
        useCount = new UseCount();
        longAdder = new LongAdder();
    }

    @TearDown
    public void checkBalanced() {
        // Every section ended, so a grace period needs no waiting: trySynchronize() completes one.
        if (!domain.trySynchronize()) {
            throw new IllegalStateException("a section is still open after the run: " + domain);
        }
        domain.close();
        if (useCount.estimate() != 0 || useCount.state() != UseCount.State.LIVE) {
            throw new IllegalStateException("unbalanced after the run: UseCount " + useCount);
        }
        if (stamped.isReadLocked()) {
            throw new IllegalStateException("unbalanced after the run: " + stamped);
        }
    }

    @Benchmark
    public boolean longAdderFlag() {
        LongAdder c = longAdder;
        c.increment();
        boolean open = !closed;
        c.decrement();
        return open;
    }

    /** Each benchmark thread's own view of the domain, made on that thread. */
    @State(Scope.Thread)
    public static class PerThread {
        GraceDomain.Local local;

        @Setup
        public void setUp(ReadSideBenchmark b) {
            local = b.domain.local();
        }
    }

    @Benchmark
    public int enterExitLocal(PerThread t) {
        GraceDomain.Local l = t.local;
        int token = l.enter();
        l.exit(token);
        return token;
    }

    @Benchmark
    public int enterExit() {
        GraceDomain d = domain;
        int token = d.enter();
        d.exit(token);
        return token;
    }

    /*
     * How to run (from the top of the repository):
     *
     *   mvn -B -q -pl primitives,jmh-benchmarks -am -DskipTests package
     *   for t in 1 2 4 8; do
     *     java -jar jmh-benchmarks/target/benchmarks.jar ReadSideBenchmark -t $t -prof gc \
     *          -rf json -rff read-side-t$t.json
     *   done
     *
     * Quick look: add -wi 3 -w 1s -i 5 -r 1s -f 1. Read the ratios inside one run (one -t). B/op is
     * gc.alloc.rate.norm: 0 expected for every method (enter/exit allocate nothing unless the
     * dev.raceless.grace.debug property is set, which this benchmark never does). ./report.sh runs
     * this class at 1, 2, 4 and 8 threads and checks the GraceDomain read-side bars against
     * UsePairBenchmark's peers (separate JVMs) and against stampedRead here.
     */
}
