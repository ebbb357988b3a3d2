package dev.raceless.bench.refcount;

import dev.raceless.bench.peers.LockPairPeers;
import dev.raceless.refcount.UseCount;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.jctools.counters.Counter;
import org.jctools.counters.CountersFactory;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/**
 * What does one use pair (take a use, drop it) cost on ONE object shared by all benchmark threads,
 * for {@link UseCount} and for the peers one could build a module use count from?
 *
 * <p>Each {@code @Benchmark} method is one pair by one thread: the score (AverageTime, ns/op) is
 * the time a thread spends per pair. The thread count comes from the command line ({@code -t});
 * aggregate throughput is {@code threads / score}. Every peer keeps the same contract shape where
 * it can: a take that can be refused once the object is "closed", then a drop.
 *
 * <ul>
 * <li>{@code useCount}: {@code UseCount.tryAcquire()} + {@code release()}, default stripes.</li>
 * <li>{@code useCountLocal}: the same pair through the thread's {@code UseCount.Local} (made once
 *     per benchmark thread): in the ASYMMETRIC flavour the slot is in hand; in FENCED the stripe
 *     cell (the same two xadds, plus the Local's thread check).</li>
 * <li>{@code atomicLongIncNotZero}: the Linux module refcount since 2.6.x: one atomic with
 *     {@code MODULE_REF_BASE = 1}; take = increment-if-not-zero (CAS loop; 0 means dead), drop =
 *     decrement. Exact zero test, one contended line.</li>
 * <li>{@code longAdderFlag}: {@code LongAdder.increment()}, read a volatile closed flag, then
 *     {@code decrement()}. Fast, but its sum is no zero test (see BACKGROUND.md).</li>
 * <li>{@code jctoolsStripedFlag}: JCTools {@code FixedSizeStripedLongCounter(16)} {@code inc()},
 *     read the flag, {@code inc(-1)}. Also no zero test (net counts per stripe: Piggin).</li>
 * <li>{@code agronaIncDec}: Agrona {@code AtomicCounter.increment()} + {@code decrement()} on a
 *     counter allocated by a {@code CountersManager} (128-byte slot); no refusal at all, so it is
 *     the floor of "two lock-prefixed RMWs on one line".</li>
 * <li>{@code rwLockRead}: {@code ReentrantReadWriteLock} read {@code tryLock()} / {@code unlock()}
 *     (shutdown would take the write lock).</li>
 * <li>{@code stampedRead}: {@code StampedLock.tryReadLock()} / {@code unlockRead(stamp)}.</li>
 * </ul>
 *
 * <p>Objects are never closed during the run: every take succeeds, which is the case that matters
 * (the fast path). Each method returns a value so that nothing is dead code.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
// Agrona 2.x reaches jdk.internal.misc.Unsafe: it must be exported to the unnamed module.
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
@Threads(1) // a default only: pass -t 1,2,4,8 on the command line
@State(Scope.Benchmark)
public class UsePairBenchmark extends LockPairPeers {

    /** Linux's MODULE_REF_BASE: a live module's count never drops below this while unused. */
    static final long MODULE_REF_BASE = 1;

    // useCount, longAdder, rwReadLock, stamped, closed and three benchmarks: LockPairPeers
    AtomicLong atomicLong;
    Counter jctools;
    CountersManager agronaManager;
    AtomicCounter agrona;

    @Setup
    public void setUp() {
        useCount = new UseCount();
        atomicLong = new AtomicLong(MODULE_REF_BASE);
        longAdder = new LongAdder();
        jctools = CountersFactory.createFixedSizeStripedCounter(16);
        // Aeron's layout: a metadata buffer of 512-byte records and a values buffer of 128-byte slots.
        int counters = 16;
        UnsafeBuffer metadata = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
                counters * CountersReader.METADATA_LENGTH, 64));
        UnsafeBuffer values = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
                counters * CountersReader.COUNTER_LENGTH, 128));
        agronaManager = new CountersManager(metadata, values);
        agrona = agronaManager.newCounter("use count");
        rwReadLock = new ReentrantReadWriteLock().readLock();
        stamped = new StampedLock();
    }

    @TearDown
    public void checkBalanced() {
        // Every pair is balanced, so each peer must be back where it started.
        check(useCount.estimate() == 0 && useCount.state() == UseCount.State.LIVE, "UseCount " + useCount);
        check(atomicLong.get() == MODULE_REF_BASE, "AtomicLong " + atomicLong.get());
        check(longAdder.sum() == 0, "LongAdder " + longAdder.sum());
        check(jctools.get() == 0, "JCTools " + jctools.get());
        check(agrona.get() == 0, "Agrona " + agrona.get());
        agrona.close();
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("unbalanced after the run: " + what);
        }
    }

    /** Each benchmark thread's own view of the count, made on that thread. */
    @State(Scope.Thread)
    public static class PerThread {
        UseCount.Local local;

        @Setup
        public void setUp(UsePairBenchmark b) {
            local = b.useCount.local();
        }
    }

    @Benchmark
    public boolean useCountLocal(PerThread t) {
        UseCount.Local l = t.local;
        if (!l.tryAcquire()) {
            return false;
        }
        l.release();
        return true;
    }

    @Benchmark
    public long atomicLongIncNotZero() {
        AtomicLong c = atomicLong;
        // try_module_get: atomic_inc_not_zero, a CAS loop that reuses the witness value.
        long v = c.get();
        for (long w; ; v = w) {
            if (v == 0) {
                return -1; // dead: refused
            }
            if ((w = c.compareAndExchange(v, v + 1)) == v) {
                break;
            }
        }
        // module_put: a decrement; the unloader would be woken when it reaches 0.
        return c.decrementAndGet();
    }

    @Benchmark
    public boolean longAdderFlag() {
        LongAdder c = longAdder;
        c.increment(); // a CAS on base or on a cell: a full fence on x86 (not promised by the API)
        if (closed) {
            c.decrement();
            return false;
        }
        c.decrement();
        return true;
    }

    @Benchmark
    public boolean jctoolsStripedFlag() {
        Counter c = jctools;
        c.inc(); // getAndAdd on the thread's stripe
        if (closed) {
            c.inc(-1);
            return false;
        }
        c.inc(-1);
        return true;
    }

    @Benchmark
    public long agronaIncDec() {
        AtomicCounter c = agrona;
        c.increment(); // getAndAdd (lock xadd) on the counter's 128-byte slot
        return c.decrement();
    }

    /*
     * How to run (from the top of the repository):
     *
     *   mvn -B -q -pl jmh-benchmarks package
     *   for t in 1 2 4 8; do
     *     java -jar jmh-benchmarks/target/benchmarks.jar UsePairBenchmark -t $t -prof gc \
     *          -rf json -rff use-pair-t$t.json
     *   done
     *
     * Quick look: add -wi 3 -w 1s -i 5 -r 1s -f 1. Read the ratios inside one run (one -t), never
     * across machines. B/op is gc.alloc.rate.norm (expected 0 for every peer except
     * ReentrantReadWriteLock, whose per-thread hold counter is re-created when two threads alternate).
     * On JDK 25 JCTools prints sun.misc.Unsafe warnings; they are harmless. The --add-exports Agrona
     * needs is in @Fork.
     *
     * On a busy machine: AverageTime is wall-clock time, so every preemption by another process is
     * charged to the pair. The cost while the thread actually runs is the median batch of
     *
     *   java -jar jmh-benchmarks/target/benchmarks.jar '\.UsePairBenchmark\.' -bm sample -bs 1000 -tu us -t N
     *
     * (us per batch of 1000 pairs = ns per pair; read p0.50). It cannot show contention between
     * threads that were not running at the same instant, so it is a complement, not a replacement.
     */
}
