package dev.raceless.bench.loader;

import dev.raceless.grace.QuiescentDomain;
import dev.raceless.loader.Binding;
import dev.raceless.loader.Lifecycle;
import dev.raceless.loader.ModuleLoader;
import dev.raceless.loader.UnloadResult;
import dev.raceless.refcount.UseCount;
import dev.raceless.registry.Registry;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What does one call through the {@link ModuleLoader} hot path cost ({@code acquire(key)},
 * {@code module()}, {@code release()}) on ONE loaded module shared by all benchmark threads,
 * against the bare {@link UseCount} pair it is built on, and what does it cost while another
 * thread keeps unloading the module?
 *
 * <p>Each {@code @Benchmark} method is one call by one thread: the score (AverageTime, ns/op) is
 * the time a thread spends per call. The thread count comes from the command line ({@code -t});
 * aggregate throughput is {@code threads / score}. Every call reads a field of the module, so
 * each method returns what the caller of a real module would get.
 *
 * <ul>
 * <li>{@code acquireRelease}: {@code loader.acquire(KEY)} (one volatile load of the loader's key
 *     table, a probe, and {@code UseCount.tryAcquire()}), {@code module().id}, {@code release()}, in try/finally as
 *     the loader's sample usage has it. The module stays loaded.</li>
 * <li>{@code useCount}: the floor: {@code tryAcquire()}, read the module's field,
 *     {@code release()} on a bare {@code UseCount} held in a field, no lookup.</li>
 * <li>{@code bindingAcquireRelease}: the same call through a {@link Binding} of the key, made
 *     once in the setup: {@code binding.acquire()} (one volatile read of the handle it last
 *     reached, then {@code UseCount.tryAcquire()}), {@code module().id}, {@code release()}. No
 *     lookup: the one to read against {@code useCount}.</li>
 * <li>{@code bindingCall}: {@code binding.call(fn)} with a preallocated function that returns the
 *     module, then its {@code id}: the form a router uses.</li>
 * <li>{@code bindingCallQuiescent}: {@code binding.call(reader, fn)} on a loader in quiescent mode
 *     ({@link QuiescentLoaded}), by a benchmark thread that is a registered online reader of the
 *     loader's domain ({@link Worker}): no use count, one volatile read of the instance's state.
 *     The thread reports a quiescent state every {@link Worker#REPORT_EVERY} calls, as a pool
 *     worker does between tasks. The one to read against {@code bindingCall}.</li>
 * <li>{@code acquireReleaseDuringChurn}: {@code acquireRelease} on a loader of its own, while a
 *     daemon thread (started for the trial, see {@link Churn}) calls {@code tryUnload(KEY)}
 *     every {@link Churn#PERIOD_NANOS} ns; each unload that succeeds makes the next
 *     {@code acquire} take the slow path and load a fresh instance (a factory call, a new handle
 *     and its UseCount: allocation), and calls that meet the unload in progress wait for its
 *     destroy. The score averages those rare slow calls into the fast ones; the trial prints how
 *     many unloads succeeded.</li>
 * <li>{@code registryForEach4}: {@code Registry.forEach} over 4 registered services (four use
 *     pairs and four calls of a preallocated consumer): the registry's hot path, for scale.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(1)
@Threads(1) // a default only: pass -t 1,2,4,8 on the command line
public class LoaderHotPathBenchmark {

    static final String KEY = "codec";

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

    /** A loaded module, the bare count, and a registry of four services; nothing changes them. */
    @State(Scope.Benchmark)
    public static class Loaded {
        ModuleLoader<String, Module> loader;
        Binding<Module> binding;
        UseCount bare;
        Module bareModule;
        Registry<Module> registry;

        @Setup(Level.Trial)
        public void setUp() {
            loader = new ModuleLoader<>(k -> new Module(k.length()), NOTHING, ModuleLoader.Style.THREE_POINT);
            loader.acquire(KEY).release(); // load it now: the benchmark measures the loaded case
            binding = loader.bind(KEY);
            binding.acquire().release(); // the binding has reached the instance: its hot path from here on
            bare = new UseCount();
            bareModule = new Module(KEY.length());
            registry = new Registry<>();
            for (int i = 0; i < 4; i++) {
                registry.register(new Module(i));
            }
        }

        @TearDown(Level.Trial)
        public void checkBalanced() {
            if (bare.estimate() != 0 || bare.state() != UseCount.State.LIVE) {
                throw new IllegalStateException("unbalanced after the run: " + bare);
            }
            // Every call released its use, so the module is idle and unloads at once.
            if (loader.tryUnload(KEY) != UnloadResult.UNLOADED) {
                throw new IllegalStateException("a use is still held after the run: " + loader);
            }
            if (registry.registrations().stream().anyMatch(r -> !r.isRegistered())) {
                throw new IllegalStateException("a registration changed during the run: " + registry);
            }
        }
    }

    /**
     * A loader whose module a daemon thread keeps unloading: every {@link #PERIOD_NANOS} it calls
     * {@code tryUnload(KEY)}, which unloads the module if no call is in flight at that instant
     * ({@code BUSY} otherwise, and it tries again next period). The next {@code acquire} loads a
     * fresh instance.
     */
    @State(Scope.Benchmark)
    public static class Churn {
        /** About one unload attempt per millisecond (parkNanos overshoots a little). */
        static final long PERIOD_NANOS = 1_000_000;

        ModuleLoader<String, Module> loader;
        final AtomicLong loads = new AtomicLong();
        Thread unloader;
        volatile boolean stop;
        volatile Throwable failure;
        long unloaded, busy, notLoaded; // written by the unloader only; read after join()

        @Setup(Level.Trial)
        public void startChurn() {
            loader = new ModuleLoader<>(k -> new Module((int) loads.incrementAndGet()), NOTHING,
                    ModuleLoader.Style.THREE_POINT);
            loader.acquire(KEY).release();
            unloader = new Thread(this::churn, "module-churn");
            unloader.setDaemon(true);
            unloader.start();
        }

        private void churn() {
            try {
                while (!stop) {
                    LockSupport.parkNanos(PERIOD_NANOS);
                    switch (loader.tryUnload(KEY)) {
                        case UNLOADED:
                            unloaded++;
                            break;
                        case BUSY:
                            busy++;
                            break;
                        default:
                            notLoaded++; // unloaded last time and no call has reloaded it yet
                    }
                }
            } catch (Throwable t) {
                failure = t;
            }
        }

        @TearDown(Level.Trial)
        public void stopChurn() throws InterruptedException {
            stop = true;
            unloader.join(10_000);
            if (unloader.isAlive()) {
                throw new IllegalStateException("the churn thread did not stop");
            }
            if (failure != null) {
                throw new IllegalStateException("the churn thread failed", failure);
            }
            if (unloaded == 0) {
                throw new IllegalStateException("no unload succeeded: the run measured no churn (" + busy
                        + " busy)");
            }
            System.out.printf(Locale.ROOT, "%nchurn: %d unloads, %d busy, %d not loaded; %d loads%n",
                    unloaded, busy, notLoaded, loads.get());
        }
    }

    /** A loader in quiescent mode with its module loaded and a warm binding; nothing unloads it. */
    @State(Scope.Benchmark)
    public static class QuiescentLoaded {
        QuiescentDomain domain;
        ModuleLoader<String, Module> loader;
        Binding<Module> binding;

        @Setup(Level.Trial)
        public void setUp() {
            domain = new QuiescentDomain();
            loader = new ModuleLoader<>(k -> new Module(k.length()), NOTHING, ModuleLoader.Style.THREE_POINT,
                    (k, t) -> { }, domain);
            binding = loader.bind(KEY);
            binding.acquire().release(); // loaded, and the binding has reached the instance
        }
    }

    /** A benchmark thread registered with the quiescent loader's domain, online for the trial. */
    @State(Scope.Thread)
    public static class Worker {
        /** Calls between two quiescent states: a pool worker reports one per task. */
        static final int REPORT_EVERY = 64;
        QuiescentDomain.Reader reader;
        int calls;

        @Setup(Level.Trial)
        public void register(QuiescentLoaded s) {
            reader = s.domain.register(); // on this benchmark thread: JMH runs Thread-state setup on it
        }

        @TearDown(Level.Trial)
        public void unregister() {
            reader.unregister();
        }
    }

    /** Each thread's consumer for forEach: preallocated, so the call allocates nothing. */
    @State(Scope.Thread)
    public static class Sink implements Consumer<Module> {
        long sum;

        @Override
        public void accept(Module m) {
            sum += m.id;
        }
    }

    @Benchmark
    public int acquireRelease(Loaded s) {
        ModuleLoader.Handle<Module> h = s.loader.acquire(KEY);
        try {
            return h.module().id;
        } finally {
            h.release();
        }
    }

    @Benchmark
    public int useCount(Loaded s) {
        UseCount c = s.bare;
        if (!c.tryAcquire()) {
            return -1;
        }
        try {
            return s.bareModule.id;
        } finally {
            c.release();
        }
    }

    @Benchmark
    public int bindingAcquireRelease(Loaded s) {
        ModuleLoader.Handle<Module> h = s.binding.acquire();
        try {
            return h.module().id;
        } finally {
            h.release();
        }
    }

    /** The function of bindingCall: returns the module itself, so the call boxes nothing. */
    private static final Function<Module, Module> SELF = m -> m;

    @Benchmark
    public int bindingCall(Loaded s) {
        return s.binding.call(SELF).id;
    }

    @Benchmark
    public int bindingCallQuiescent(QuiescentLoaded s, Worker w) {
        int id = s.binding.call(w.reader, SELF).id;
        if (++w.calls == Worker.REPORT_EVERY) {
            w.calls = 0;
            w.reader.quiescent();
        }
        return id;
    }

    @Benchmark
    public int acquireReleaseDuringChurn(Churn s) {
        ModuleLoader.Handle<Module> h = s.loader.acquire(KEY);
        try {
            return h.module().id;
        } finally {
            h.release();
        }
    }

    @Benchmark
    public long registryForEach4(Loaded s, Sink sink) {
        s.registry.forEach(sink);
        return sink.sum;
    }

    /*
     * How to run (from the top of the repository):
     *
     *   mvn -B -q -pl primitives,jmh-benchmarks -am -DskipTests package
     *   for t in 1 2 4 8; do
     *     java -jar jmh-benchmarks/target/benchmarks.jar LoaderHotPathBenchmark -t $t -prof gc \
     *          -rf json -rff loader-hot-path-t$t.json
     *   done
     *
     * Quick look: add -wi 3 -w 1s -i 5 -r 1s -f 1. Read acquireRelease ÷ useCount,
     * bindingAcquireRelease ÷ useCount and bindingCallQuiescent ÷ bindingCall inside one run.
     * B/op is gc.alloc.rate.norm: 0 expected for
     * acquireRelease, bindingAcquireRelease, bindingCall, bindingCallQuiescent, useCount and
     * registryForEach4.
     * acquireReleaseDuringChurn is not 0: every reload allocates an instance, a
     * handle with its UseCount and futures (about 1 KB) and two copies of the key table (the
     * unload's and the load's), spread over the calls between unloads,
     * and the churn thread's own allocation is counted too. The churn thread is a thread of its
     * own, beyond -t.
     */
}
