package dev.raceless.bench.refcount;

import dev.raceless.loader.Lifecycle;
import dev.raceless.loader.ModuleLoader;
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

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The floors under the hot paths: what is the least a use pair can cost on this machine, one
 * required step at a time, beside the peer and the library's own calls in the same run? Not part
 * of the report: it prices what a correct design cannot avoid, the measure a design is held to.
 * ns/op per thread, one shared object, never closed.
 *
 * <ul>
 * <li>{@code longAdderFlag}: the read-side peer, as in {@code UsePairBenchmark} (jmh-benchmarks).</li>
 * <li>{@code slotStores}: the ASYMMETRIC floor that is no count: a slot owned by the benchmark
 *     thread, a release store to its up total and one to its down total, nothing read. A count
 *     that never looks at its state cannot refuse a use, so nothing correct is cheaper.</li>
 * <li>{@code slotDekker}: the least a correct ASYMMETRIC pair does: the same stores, the state
 *     read after the up (the reader's half of the asymmetric Dekker; a use that reads a closing
 *     state backs out) and the state read after the down (a release that finds the count closing
 *     must look for zero). No misuse check, no owner check.</li>
 * <li>{@code slotChecked}: {@code slotDekker} plus the checks the contract requires of a
 *     {@code Local}: the calling thread is the slot's owner (on both calls: a slot has one writer,
 *     so this is safety, not politeness) and the count is not {@code DEAD} before the down (a
 *     release on a dead count throws and changes nothing). The floor of a correct Local.</li>
 * <li>{@code useCountLocal}: the library's pair through the thread's {@code UseCount.Local}: the
 *     two reads above, plus the owner check on each call and the release's check that the count
 *     is not {@code DEAD} (the misuse checks the contract requires).</li>
 * <li>{@code useCount}: the library's plain pair (finds the thread's slot, or stripe, per call);
 *     the floor the loader bar compares with. It reads a module field as a call would.</li>
 * <li>{@code useCountThroughRef}: the same pair on a count read from a volatile field first: the
 *     least any design pays that can replace the instance behind a call (a loader must).</li>
 * <li>{@code handleThroughRef}: the same pair on the count of a handle read from a volatile field
 *     (a generic holder of the count and the module, as {@code ModuleLoader.Handle}), released
 *     through the handle: the least a design pays that hands its caller a handle to release and
 *     reaches the count through that handle (the count is one load further than in
 *     {@code useCountThroughRef}, and the release reloads it from the handle).</li>
 * <li>{@code countThroughHolder}: the same pair on a count read from an object the benchmark
 *     keeps, released on the same reference: one dependent load between the caller's field and
 *     the count, and nothing else. Any bound reference (an object a caller keeps that reaches the
 *     current instance's count) pays at least this; a {@code Binding} is one.</li>
 * <li>{@code loaderAcquireRelease}: {@code ModuleLoader.acquire(key)}, read the module's field,
 *     {@code release()}: the key lookup on top of that.</li>
 * </ul>
 *
 * <p>Run on JDK 25 with {@code --enable-native-access=ALL-UNNAMED -Ddev.raceless.readside=asymmetric}
 * for the ASYMMETRIC question and on the default JDK 17 (FENCED) for the loader question; see the
 * end of this file. The figures are in {@code docs/read-side.md} and {@code docs/loader.md}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(5)
@Threads(1) // a default only: pass -t 1,2 on the command line
@State(Scope.Benchmark)
public class HotPathFloorBenchmark {

    static final String KEY = "codec";
    /** The prototype's state word: 0 is LIVE, as the low bits of UseCount's. */
    static final long PHASE_MASK = 7;
    /** The first phase in which a release is misuse (DEAD, then OPENING), as in UseCount. */
    static final long DEAD = 3;

    /** A module: what a call reads. */
    static final class Module {
        final int id;

        Module(int id) {
            this.id = id;
        }
    }

    /** The three-point lifecycle with nothing to do: the loader's own cost, not a module's. */
    static final Lifecycle<Module> NOTHING = new Lifecycle<>() {
    };

    LongAdder longAdder;
    volatile boolean closed;
    /** The prototype's state word (slotDekker): never changed, so every use is kept. */
    volatile long state;
    UseCount useCount;
    /** Read on every useCountThroughRef call, as a loader reads its table. */
    volatile UseCount countRef;
    /** Read on every countThroughHolder call: an object between the caller and the count. */
    CountHolder countHolder;
    /** Read on every handleThroughRef call, as a binding reads the handle it keeps. */
    volatile Holder<Module> handleRef;
    Module module;
    ModuleLoader<String, Module> loader;

    @Setup
    public void setUp() {
        longAdder = new LongAdder();
        useCount = new UseCount();
        countRef = new UseCount();
        module = new Module(KEY.length());
        handleRef = new Holder<>(new UseCount(), module);
        countHolder = new CountHolder();
        countHolder.uses = new UseCount();
        loader = new ModuleLoader<>(k -> new Module(k.length()), NOTHING, ModuleLoader.Style.THREE_POINT);
        loader.acquire(KEY).release(); // loaded now: the loaded case is measured
    }

    @TearDown
    public void checkBalanced() {
        if (useCount.estimate() != 0 || countRef.estimate() != 0 || handleRef.uses.estimate() != 0
                || countHolder.uses.estimate() != 0
                || longAdder.sum() != 0) {
            throw new IllegalStateException("unbalanced after the run: " + useCount + ", " + countRef);
        }
        loader.close();
    }

    /** A slot owned by one benchmark thread: two totals, padded off other slots' lines. */
    @SuppressWarnings("unused")
    static final class Slot {
        long p00, p01, p02, p03, p04, p05, p06, p07;
        volatile long up;
        volatile long down;
        long q00, q01, q02, q03, q04, q05, q06, q07;
    }

    /** What each benchmark thread keeps: its slot, its Local. */
    @State(Scope.Thread)
    public static class Own {
        final Slot slot = new Slot();
        Thread owner;
        UseCount.Local local;

        @Setup
        public void setUp(HotPathFloorBenchmark b) {
            owner = Thread.currentThread(); // the benchmark thread: JMH runs a thread state's setup on it
            local = b.useCount.local();
        }
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

    @Benchmark
    public long slotStores(Own o) {
        Slot s = o.slot;
        UP.setRelease(s, s.up + 1); // the owner is the only writer: no lost update
        DOWN.setRelease(s, s.down + 1);
        return s.down;
    }

    @Benchmark
    public boolean slotDekker(Own o) {
        Slot s = o.slot;
        UP.setRelease(s, s.up + 1);
        if ((state & PHASE_MASK) != 0) { // never taken here: the prototype is never closed
            DOWN.setRelease(s, s.down + 1);
            return false;
        }
        DOWN.setRelease(s, s.down + 1);
        return (state & PHASE_MASK) == 0; // a release that finds it closing would look for zero
    }

    @Benchmark
    public boolean slotChecked(Own o) {
        Slot s = o.slot;
        Thread t = Thread.currentThread();
        if (t != o.owner) { // the Local's owner check: a slot has one writer
            throw new IllegalStateException("not the owner");
        }
        UP.setRelease(s, s.up + 1);
        if ((state & PHASE_MASK) != 0) {
            DOWN.setRelease(s, s.down + 1);
            return false;
        }
        if (Thread.currentThread() != o.owner) { // the release's own owner check
            throw new IllegalStateException("not the owner");
        }
        if ((state & PHASE_MASK) >= DEAD) { // the release's misuse check, before its down
            throw new IllegalStateException("release on a dead count");
        }
        DOWN.setRelease(s, s.down + 1);
        return (state & PHASE_MASK) == 0;
    }

    @Benchmark
    public boolean useCountLocal(Own o) {
        UseCount.Local l = o.local;
        if (!l.tryAcquire()) {
            return false;
        }
        l.release();
        return true;
    }

    /** The library's pair on {@code c}, reading the module's field as a call would. */
    private int pair(UseCount c) {
        if (!c.tryAcquire()) {
            return -1;
        }
        try {
            return module.id;
        } finally {
            c.release();
        }
    }

    @Benchmark
    public int useCount() {
        return pair(useCount);
    }

    /** A handle's shape: its count and its module (generic: a caller casts the module, as for a Handle). */
    static final class Holder<M> {
        final UseCount uses;
        final M module;

        Holder(UseCount uses, M module) {
            this.uses = uses;
            this.module = module;
        }
    }

    @Benchmark
    public int handleThroughRef() {
        Holder<Module> h = handleRef;
        if (!h.uses.tryAcquire()) {
            return -1;
        }
        try {
            return h.module.id;
        } finally {
            h.uses.release();
        }
    }

    /** What a bound reference keeps: a (plain, replaceable) reference to the current count. */
    static final class CountHolder {
        UseCount uses;
    }

    @Benchmark
    public int countThroughHolder() {
        return pair(countHolder.uses);
    }

    @Benchmark
    public int useCountThroughRef() {
        return pair(countRef);
    }

    @Benchmark
    public int loaderAcquireRelease() {
        ModuleLoader.Handle<Module> h = loader.acquire(KEY);
        try {
            return h.module().id;
        } finally {
            h.release();
        }
    }

    // VarHandle mechanics
    private static final VarHandle UP;
    private static final VarHandle DOWN;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            UP = l.findVarHandle(Slot.class, "up", long.class);
            DOWN = l.findVarHandle(Slot.class, "down", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /*
     * How to run (from the top of the repository, after ./mvnw -B -q -DskipTests package), on a
     * quiet machine:
     *
     *   J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
     *   for t in 1 2; do
     *     $J25 -jar jmh-benchmarks/target/benchmarks.jar \
     *         'HotPathFloorBenchmark\.(longAdderFlag|slot.*|useCountLocal)$' \
     *         -t $t -prof gc -jvmArgsPrepend '--enable-native-access=ALL-UNNAMED -Ddev.raceless.readside=asymmetric'
     *     java -jar jmh-benchmarks/target/benchmarks.jar \
     *         'HotPathFloorBenchmark\.(useCount|useCountThroughRef|loaderAcquireRelease)$' \
     *         -t $t -prof gc
     *   done
     */
}
