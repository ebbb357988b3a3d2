package dev.raceless.lab;

import dev.raceless.refcount.UseCount;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
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

/**
 * Prototypes, not a published result: would a different {@code UseCount} fast path be cheaper?
 * Same question and settings as {@code UsePairBenchmark} in jmh-benchmarks (one use pair on one
 * shared object, ns/op per thread), with the library's {@code UseCount} and Agrona's two-xadd floor
 * measured in the same run as the variants:
 *
 * <ul>
 * <li>{@code useCount}: the library, default stripes.</li>
 * <li>{@code protoFlat}: {@link ProtoFlatUseCount}, the same protocol with the stripe array in the
 *     count itself (one indirection less).</li>
 * <li>{@code agronaIncDec}: the bar for one thread.</li>
 * </ul>
 *
 * <p>Each benchmark thread also reports, once, its thread id and the stripe the id maps to, so a
 * run shows whether two threads collided on one stripe (the forked VM's output, "stripe probe").
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
@Threads(1)
@State(Scope.Benchmark)
public class ProtoUsePairBenchmark {

    UseCount useCount;
    ProtoFlatUseCount flat;
    CountersManager agronaManager;
    AtomicCounter agrona;

    @Setup
    public void setUp() {
        useCount = new UseCount();
        flat = new ProtoFlatUseCount(useCount.stripes());
        agronaManager = new CountersManager(
                new UnsafeBuffer(BufferUtil.allocateDirectAligned(16 * CountersReader.METADATA_LENGTH, 64)),
                new UnsafeBuffer(BufferUtil.allocateDirectAligned(16 * CountersReader.COUNTER_LENGTH, 128)));
        agrona = agronaManager.newCounter("use count");
    }

    @TearDown
    public void checkBalanced() {
        if (useCount.estimate() != 0 || flat.pending() != 0 || agrona.get() != 0) {
            System.out.println("unbalanced after the run: useCount " + useCount.estimate() + ", flat "
                    + flat.pending() + ", agrona " + agrona.get());
        }
        agrona.close();
    }

    /** Reports the stripe each benchmark thread maps to (UseCount's mapping: id & (stripes - 1)). */
    @State(Scope.Thread)
    public static class StripeProbe {
        @Setup
        @SuppressWarnings("deprecation")
        public void report(ProtoUsePairBenchmark b) {
            long id = Thread.currentThread().getId();
            System.out.println("stripe probe: thread " + Thread.currentThread().getName() + " id " + id
                    + " -> stripe " + (id & (b.useCount.stripes() - 1)) + " of " + b.useCount.stripes());
        }
    }

    @Benchmark
    public boolean useCount(StripeProbe p) {
        UseCount c = useCount;
        if (!c.tryAcquire()) {
            return false;
        }
        c.release();
        return true;
    }

    @Benchmark
    public boolean protoFlat() {
        ProtoFlatUseCount c = flat;
        if (!c.tryAcquire()) {
            return false;
        }
        c.release();
        return true;
    }

    @Benchmark
    public long agronaIncDec() {
        AtomicCounter c = agrona;
        c.increment();
        return c.decrement();
    }

    /*
     * How to run (from the top of the repository):
     *
     *   ./mvnw -B -q -Plab -pl lab -am package -DskipTests
     *   for t in 1 2; do
     *     java -jar lab/target/lab-benchmarks.jar ProtoUsePairBenchmark -t $t -f 3
     *   done
     */
}
