package dev.raceless.bench.peers;

import dev.raceless.refcount.UseCount;
import org.openjdk.jmh.annotations.Benchmark;

import java.util.concurrent.atomic.LongAdder;

/**
 * The state and the benchmark that every use-pair benchmark shares: one {@link UseCount}, the
 * {@link LongAdder} of the flag-based peers and the flag they read (never set), and the
 * {@code useCount} benchmark ({@code tryAcquire()} + {@code release()}). A subclass is the
 * {@code @State(Scope.Benchmark)} class: its {@code @Setup} creates the objects (in its own
 * order), its {@code @TearDown} checks them, and JMH runs the inherited {@code @Benchmark} methods
 * under the subclass's name (JMH does not run an abstract class).
 *
 * <p>An inherited benchmark compiles to the code of the same method declared in the subclass: the
 * same bytecode on the same fields (only a field's offset depends on the class that declares it).
 * {@code longAdderFlag} stays in each subclass: JMH refuses two {@code @Benchmark} methods of one
 * name in a class hierarchy, and {@code ReadSideBenchmark} measures a variant of it.
 */
public abstract class UsePairPeers {

    protected UseCount useCount;
    protected LongAdder longAdder;
    /** The "closing" flag the flag-based peers read between take and drop; never set here. */
    protected volatile boolean closed;

    @Benchmark
    public boolean useCount() {
        UseCount c = useCount;
        if (!c.tryAcquire()) {
            return false;
        }
        c.release();
        return true;
    }
}
