package dev.raceless.bench.grace;

import dev.raceless.grace.GraceDomain;
import dev.raceless.grace.QuiescentDomain;
import dev.raceless.grace.QuiescentExecutor;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.Control;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/**
 * What does a reader of a published, read-mostly table pay under each protection, while one
 * updater replaces the table now and then and frees the old one once no reader can hold it?
 *
 * <p>The table is an immutable {@code int[]} behind a volatile reference. A reader op makes
 * {@code lookups} lookups in a loop (a task's reads), each a volatile read of the reference and
 * one entry, and returns their sum; every reader has that loop, with its protection around each
 * lookup (or, for the quiescent domain, a report after the op's lookups, or every
 * {@code readsPerQuiescent} of them), and the score is ns per op, not per lookup: JMH applies one
 * operations-per-invocation to a whole {@code @Group}, and the updater's op is one update. The
 * updater op replaces the table, waits until the old one is unreachable to readers (a grace
 * period, or a write lock), marks it freed, and pauses {@code updatePauseMicros} so that updates
 * stay rare. Each protection is one {@code @Group}: the reader's score is the question, the
 * updater's score says how long a replacement takes (pause included).
 *
 * <ul>
 * <li>{@code unprotected}: the volatile read alone, no reclamation at all: the floor.</li>
 * <li>{@code qsbr}: {@link QuiescentDomain}: lookups with no call at all, and one
 *     {@code quiescent()} per op, as a pool worker reports once per task ({@link QsbrReporting}:
 *     {@code -p readsPerQuiescent=1} prices a report per lookup); the updater calls
 *     {@code synchronize()}.</li>
 * <li>{@code grace} and {@code graceLocal}: a {@link GraceDomain} section ({@code enter()}/
 *     {@code exit()}, through the domain and through the thread's {@code Local}).</li>
 * <li>{@code stamped}: {@code StampedLock} optimistic read with a read-lock fallback; the updater
 *     takes the write lock.</li>
 * <li>{@code rwLock}: {@code ReentrantReadWriteLock} read lock; the updater takes the write lock.</li>
 * </ul>
 *
 * <p>Readers per group: {@code -tg 1,1} (one reader, one updater) and {@code -tg 2,1}. The nested
 * classes answer the other questions of the quiescent domain: {@link QuiescentCost} (what one
 * {@code quiescent()} costs), {@link PoolTask} (a short task through a {@link QuiescentExecutor}
 * against a plain {@link ThreadPoolExecutor}) and {@link SynchronizeLatency} (a grace period with
 * busy and with idle pool workers).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(1)
@State(Scope.Group)
public class ReadMostlyBenchmark {

    /** Entries of a table (a power of two). */
    static final int SIZE = 1024;
    /**
     * Lookups per reader op, in every group: a reader's score is ns per op of this many lookups.
     * (JMH applies one operations-per-invocation to a whole group, and the updater's op is one
     * update, so the reader's op is not divided.) 64 is a short task, about 40 ns of lookups on
     * the machines measured; 1024 is one of about 0.7 µs, near the 1 µs pool task of
     * {@link PoolTask}.
     */
    @Param("64")
    public int lookups;

    /** The published object: immutable once published; {@code freed} is set after its grace period. */
    static final class Table {
        final int[] values = new int[SIZE];
        int freed;

        Table(int seed) {
            for (int i = 0; i < SIZE; i++) {
                values[i] = seed + i;
            }
        }
    }

    /** How long the updater pauses after each replacement: updates are rare next to reads. */
    @Param("100")
    public int updatePauseMicros;

    volatile Table published;
    QuiescentDomain qsbr;
    GraceDomain grace;
    StampedLock stampedLock;
    ReentrantReadWriteLock rwLock;
    int generation;

    @Setup(Level.Trial)
    public void setUp() {
        published = new Table(0);
        qsbr = new QuiescentDomain();
        grace = new GraceDomain();
        stampedLock = new StampedLock();
        rwLock = new ReentrantReadWriteLock();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        qsbr.close();
        grace.close();
    }

    /** A reader thread's own handles: its QuiescentDomain registration and its GraceDomain.Local. */
    @State(Scope.Thread)
    public static class Reader {
        QuiescentDomain.Reader qsbr;
        GraceDomain.Local local;
        int key;

        @Setup(Level.Iteration)
        public void online(ReadMostlyBenchmark b) {
            if (qsbr == null) {
                qsbr = b.qsbr.register(); // on the benchmark thread itself (Scope.Thread)
                local = b.grace.local();
            } else {
                qsbr.online();
            }
            key = ThreadLocalRandom.current().nextInt(SIZE);
        }

        @TearDown(Level.Iteration)
        public void offline() {
            qsbr.offline(); // between iterations this thread reads nothing: no grace period waits for it
        }
    }

    /** How often the quiescent reader reports: once per op, or once per {@code readsPerQuiescent} lookups. */
    @State(Scope.Thread)
    public static class QsbrReporting {
        /**
         * Lookups between two quiescent() reports; 0 (the default): one report per op, after all
         * its lookups, as a pool worker reports once per task. Otherwise it divides
         * {@code lookups}.
         */
        @Param("0")
        public int readsPerQuiescent;

        @Setup(Level.Trial)
        public void check(ReadMostlyBenchmark b) {
            if (readsPerQuiescent < 0 || readsPerQuiescent > 0 && b.lookups % readsPerQuiescent != 0) {
                throw new IllegalArgumentException("readsPerQuiescent=" + readsPerQuiescent
                        + " must be 0 (once per op) or divide lookups=" + b.lookups);
            }
        }
    }

    static int next(int key) {
        return (key + 1) & (SIZE - 1);
    }

    private Table replace() {
        Table old = published;
        published = new Table(++generation);
        return old;
    }

    private void pause() {
        LockSupport.parkNanos(updatePauseMicros * 1000L);
    }

    // ---------------------------------------------------------------- unprotected: the floor

    @Benchmark
    @Group("unprotected")
    @GroupThreads(1)
    public int unprotectedRead(Reader r) {
        return lookUp(r, lookups);
    }

    /**
     * {@code count} unprotected lookups from the reader's key on: the loop of unprotectedRead and,
     * between its reports, of qsbrRead. Never inlined, so that both run the same compiled code at
     * the same address: a loop this tight is bound by instruction fetch, and two compiled copies
     * of it can differ by a tenth in speed from where each lands in memory alone.
     */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private int lookUp(Reader r, int count) {
        int k = r.key;
        int sum = 0;
        for (int i = 0; i < count; i++) {
            k = next(k);
            sum += published.values[k];
        }
        r.key = k;
        return sum;
    }

    @Benchmark
    @Group("unprotected")
    @GroupThreads(1)
    public void unprotectedUpdate() {
        replace().freed = 1; // no reclamation: a reader may still be using it
        pause();
    }

    // ---------------------------------------------------------------- QuiescentDomain

    @Benchmark
    @Group("qsbr")
    @GroupThreads(1)
    public int qsbrRead(Reader r, QsbrReporting reporting) {
        QuiescentDomain.Reader q = r.qsbr;
        int n = reporting.readsPerQuiescent;
        if (n == 0) { // the default: unprotectedRead's loop, then one report, as a task of its lookups
            int sum = lookUp(r, lookups); // a reader section: no protection at all
            q.quiescent();
            return sum;
        }
        int sum = 0;
        for (int i = 0; i < lookups; i += n) {
            sum += lookUp(r, n);
            q.quiescent(); // once per n lookups
        }
        return sum;
    }

    @Benchmark
    @Group("qsbr")
    @GroupThreads(1)
    public void qsbrUpdate(Control control) throws InterruptedException {
        Table old = replace();
        // The reader goes offline only after the iteration ends (its TearDown), and JMH ends the
        // iteration only when this call returns: wait in slices and give up once the measurement
        // stops, leaving the old table unfreed (a grace period that never completed frees nothing).
        while (!qsbr.trySynchronize(100, TimeUnit.MICROSECONDS)) {
            if (control.stopMeasurement) {
                return;
            }
        }
        old.freed = 1;
        pause();
    }

    // ---------------------------------------------------------------- GraceDomain

    @Benchmark
    @Group("grace")
    @GroupThreads(1)
    public int graceRead(Reader r) {
        GraceDomain d = grace;
        int k = r.key;
        int sum = 0;
        for (int i = 0; i < lookups; i++) {
            k = next(k);
            int token = d.enter();
            sum += published.values[k];
            d.exit(token);
        }
        r.key = k;
        return sum;
    }

    @Benchmark
    @Group("grace")
    @GroupThreads(1)
    public void graceUpdate() {
        Table old = replace();
        grace.synchronize();
        old.freed = 1;
        pause();
    }

    @Benchmark
    @Group("graceLocal")
    @GroupThreads(1)
    public int graceLocalRead(Reader r) {
        GraceDomain.Local l = r.local;
        int k = r.key;
        int sum = 0;
        for (int i = 0; i < lookups; i++) {
            k = next(k);
            int token = l.enter();
            sum += published.values[k];
            l.exit(token);
        }
        r.key = k;
        return sum;
    }

    @Benchmark
    @Group("graceLocal")
    @GroupThreads(1)
    public void graceLocalUpdate() {
        graceUpdate();
    }

    // ---------------------------------------------------------------- StampedLock optimistic read

    @Benchmark
    @Group("stamped")
    @GroupThreads(1)
    public int stampedRead(Reader r) {
        StampedLock l = stampedLock;
        int k = r.key;
        int sum = 0;
        for (int i = 0; i < lookups; i++) {
            k = next(k);
            long stamp = l.tryOptimisticRead();
            int v = published.values[k];
            if (!l.validate(stamp)) {
                stamp = l.readLock();
                try {
                    v = published.values[k];
                } finally {
                    l.unlockRead(stamp);
                }
            }
            sum += v;
        }
        r.key = k;
        return sum;
    }

    @Benchmark
    @Group("stamped")
    @GroupThreads(1)
    public void stampedUpdate() {
        long stamp = stampedLock.writeLock();
        Table old;
        try {
            old = replace();
        } finally {
            stampedLock.unlockWrite(stamp);
        }
        old.freed = 1; // an optimistic reader that still reads old fails its validate()
        pause();
    }

    // ---------------------------------------------------------------- ReentrantReadWriteLock

    @Benchmark
    @Group("rwLock")
    @GroupThreads(1)
    public int rwLockRead(Reader r) {
        ReentrantReadWriteLock.ReadLock l = rwLock.readLock();
        int k = r.key;
        int sum = 0;
        for (int i = 0; i < lookups; i++) {
            k = next(k);
            l.lock();
            try {
                sum += published.values[k];
            } finally {
                l.unlock();
            }
        }
        r.key = k;
        return sum;
    }

    @Benchmark
    @Group("rwLock")
    @GroupThreads(1)
    public void rwLockUpdate() {
        ReentrantReadWriteLock.WriteLock l = rwLock.writeLock();
        Table old;
        l.lock();
        try {
            old = replace();
        } finally {
            l.unlock();
        }
        old.freed = 1;
        pause();
    }

    /**
     * What does one {@link QuiescentDomain.Reader#quiescent()} cost when no grace period has begun
     * since the last one (the common case), next to reading a volatile field?
     */
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
    @Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
    @Fork(1)
    @Threads(1)
    @State(Scope.Thread)
    public static class QuiescentCost {
        QuiescentDomain domain;
        QuiescentDomain.Reader reader;
        volatile int field;

        @Setup(Level.Trial)
        public void setUp() {
            domain = new QuiescentDomain();
            reader = domain.register();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            reader.unregister();
            domain.close();
        }

        @Benchmark
        public void quiescent() {
            reader.quiescent();
        }

        @Benchmark
        public int volatileRead() {
            return field;
        }
    }

    /**
     * What does a short task cost through a {@link QuiescentExecutor} (2 workers that report
     * between tasks) against the same task on a plain {@link ThreadPoolExecutor}? A batch of
     * tasks is queued and awaited; the score is per task. {@code task} runs the task body inline:
     * the default {@code taskTokens} makes it about 1 µs on a current x86 core; check its score and
     * set {@code -p taskTokens} for the machine.
     */
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
    @Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
    @Fork(1)
    @Threads(1)
    @State(Scope.Benchmark)
    public static class PoolTask {
        static final int BATCH = 64;

        @Benchmark
        @OperationsPerInvocation(BATCH)
        public void quiescentExecutor(Pools p) throws InterruptedException {
            p.batch(p.quiescent);
        }

        @Benchmark
        @OperationsPerInvocation(BATCH)
        public void plainExecutor(Pools p) throws InterruptedException {
            p.batch(p.plain);
        }

        @Benchmark
        public void task(Pools p) {
            Blackhole.consumeCPU(p.taskTokens);
        }
    }

    /**
     * The two pools of {@link PoolTask} and {@link PoolTaskPaired} (2 workers each, unbounded
     * queues) and the size of their tasks.
     */
    @State(Scope.Benchmark)
    public static class Pools {
        /** Blackhole.consumeCPU tokens of one task: about 1 µs (see {@code PoolTask.task}). */
        @Param("600")
        public int taskTokens;

        QuiescentDomain domain;
        ExecutorService quiescent;
        ExecutorService plain;

        @Setup(Level.Trial)
        public void setUp() {
            domain = new QuiescentDomain();
            quiescent = new QuiescentExecutor(domain, 2, 2, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
            plain = new ThreadPoolExecutor(2, 2, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            quiescent.shutdown();
            plain.shutdown();
            quiescent.awaitTermination(1, TimeUnit.MINUTES);
            plain.awaitTermination(1, TimeUnit.MINUTES);
            domain.close();
        }

        /** Queues {@value PoolTask#BATCH} tasks on {@code pool} and waits for all of them. */
        void batch(ExecutorService pool) throws InterruptedException {
            CountDownLatch done = new CountDownLatch(PoolTask.BATCH);
            int tokens = taskTokens;
            for (int i = 0; i < PoolTask.BATCH; i++) {
                pool.execute(() -> {
                    Blackhole.consumeCPU(tokens);
                    done.countDown();
                });
            }
            done.await();
        }

        /** {@link #batch}, timed: nanoseconds from the first execute() to the end of the wait. */
        long timedBatch(ExecutorService pool) throws InterruptedException {
            long start = System.nanoTime();
            batch(pool);
            return System.nanoTime() - start;
        }
    }

    /**
     * {@link PoolTask} with both pools in one fork: each op runs one batch on each pool, in
     * alternating order, and times each. The score is ns per task over both pools; the question is
     * the counter {@code ratio}, the iteration's time through the {@link QuiescentExecutor} over its
     * time through the plain pool. A fork's own speed (where its threads run, what the machine does
     * meanwhile) moves both batches alike and cancels out of the ratio, which separate forks of
     * {@code PoolTask.quiescentExecutor} and {@code plainExecutor} cannot do.
     */
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
    @Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
    @Fork(1)
    @Threads(1)
    @State(Scope.Benchmark)
    public static class PoolTaskPaired {

        /** One iteration's batch times, reported by JMH beside the score. */
        @AuxCounters(AuxCounters.Type.EVENTS)
        @State(Scope.Thread)
        public static class Times {
            public long quiescentNanos;
            public long plainNanos;
            long pairs;

            @Setup(Level.Iteration)
            public void reset() {
                quiescentNanos = 0;
                plainNanos = 0;
            }

            /** The iteration's time through the QuiescentExecutor over its time through the plain pool. */
            public double ratio() {
                return plainNanos == 0 ? Double.NaN : (double) quiescentNanos / plainNanos;
            }
        }

        @Benchmark
        @OperationsPerInvocation(2 * PoolTask.BATCH)
        public void pair(Pools p, Times t) throws InterruptedException {
            if ((t.pairs++ & 1) == 0) { // alternate which pool goes first
                t.quiescentNanos += p.timedBatch(p.quiescent);
                t.plainNanos += p.timedBatch(p.plain);
            } else {
                t.plainNanos += p.timedBatch(p.plain);
                t.quiescentNanos += p.timedBatch(p.quiescent);
            }
        }
    }

    /**
     * How long does {@code synchronize()} take while 2 pool workers run short tasks back to back
     * ({@code busy}: each task re-queues itself), and while every worker is idle, hence offline
     * ({@code idle})? Sampled, so that the median and the tail show.
     *
     * <p>The floors of {@code busy}: the same two workers running the same tasks on a plain
     * {@link ThreadPoolExecutor} whose {@code afterExecute} does the least any grace period over
     * them needs, a handshake with no domain at all. The benchmark thread asks (a counter of two,
     * then a volatile request number), and each worker, after the task it is running, answers
     * once; the last answer ends the wait. {@code busyFloorParked} parks until the last answer
     * unparks it (as a grace period that leaves the CPUs to the workers must); {@code
     * busyFloorSpinning} spins for it instead, on a CPU the workers then share. No grace period
     * over workers that report between tasks can return sooner than the floor of its kind.
     */
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
    @Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
    @Fork(1)
    @Threads(1)
    @State(Scope.Benchmark)
    public static class SynchronizeLatency {
        /** Blackhole.consumeCPU tokens of one busy task: about 5 µs on a 2-CPU Intel Xeon (6400: 10 µs). */
        @Param("3000")
        public int taskTokens;

        QuiescentDomain busyDomain;
        QuiescentDomain idleDomain;
        QuiescentExecutor busyPool;
        QuiescentExecutor idlePool;
        HandshakePool floorPool;
        volatile boolean running = true;

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            busyDomain = new QuiescentDomain();
            idleDomain = new QuiescentDomain();
            busyPool = busyDomain.newFixedThreadPool(2);
            idlePool = idleDomain.newFixedThreadPool(2);
            idlePool.prestartAllCoreThreads();
            // Only the busy measurement runs the busy tasks: the idle one has every CPU but the
            // benchmark thread's idle (an ASYMMETRIC barrier interrupts the CPUs running the
            // process's threads, so busy workers elsewhere in the JVM would slow it).
            floorPool = new HandshakePool();
            if (params.getBenchmark().endsWith(".busy")) {
                for (int i = 0; i < 2; i++) {
                    busyPool.execute(() -> busyTask(busyPool));
                }
            }
            if (params.getBenchmark().contains(".busyFloor")) {
                for (int i = 0; i < 2; i++) {
                    floorPool.execute(() -> busyTask(floorPool));
                }
            }
        }

        private void busyTask(ExecutorService pool) {
            Blackhole.consumeCPU(taskTokens);
            if (running) {
                pool.execute(() -> busyTask(pool)); // back to back: the worker reports between tasks
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            running = false;
            busyPool.shutdown();
            idlePool.shutdown();
            floorPool.shutdown();
            busyPool.awaitTermination(1, TimeUnit.MINUTES);
            idlePool.awaitTermination(1, TimeUnit.MINUTES);
            floorPool.awaitTermination(1, TimeUnit.MINUTES);
            busyDomain.close();
            idleDomain.close();
        }

        @Benchmark
        public void busy() {
            busyDomain.synchronize();
        }

        @Benchmark
        public void busyFloorParked() {
            floorPool.handshake(false);
        }

        @Benchmark
        public void busyFloorSpinning() {
            floorPool.handshake(true);
        }

        @Benchmark
        public void idle() {
            idleDomain.synchronize();
        }
    }

    /**
     * Two workers on a plain pool that answer a handshake after each task: the floor of a grace
     * period over workers that report between tasks (see {@link SynchronizeLatency}).
     */
    static final class HandshakePool extends ThreadPoolExecutor {
        /** Workers: each answers each request once. */
        private static final int WORKERS = 2;
        /** The request number each worker last answered. */
        private final ThreadLocal<long[]> answered = ThreadLocal.withInitial(() -> new long[1]);
        private final AtomicInteger unanswered = new AtomicInteger();
        private volatile long request;
        private volatile Thread asker;

        HandshakePool() {
            super(WORKERS, WORKERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
        }

        /** Returns once every worker has finished a task after the call began. */
        void handshake(boolean spin) {
            asker = Thread.currentThread();
            unanswered.set(WORKERS);
            request++; // the only writer: the benchmark thread; volatile, after the counter
            if (spin) {
                while (unanswered.get() != 0) {
                    Thread.onSpinWait();
                }
            } else {
                while (unanswered.get() != 0) {
                    LockSupport.park(this);
                }
            }
        }

        @Override
        protected void afterExecute(Runnable task, Throwable thrown) {
            long r = request;
            long[] last = answered.get();
            if (r != last[0]) {
                last[0] = r;
                if (unanswered.decrementAndGet() == 0) {
                    LockSupport.unpark(asker);
                }
            }
        }
    }

    /*
     * How to run (from the top of the repository):
     *
     *   mvn -B -q -pl primitives,jmh-benchmarks -am -DskipTests package
     *   for tg in 1,1 2,1; do
     *     java -jar jmh-benchmarks/target/benchmarks.jar 'ReadMostlyBenchmark\.[a-z]' -tg $tg -prof gc \
     *          -rf json -rff read-mostly-tg$tg.json
     *   done
     *   java -jar jmh-benchmarks/target/benchmarks.jar 'ReadMostlyBenchmark\.[A-Z]' -prof gc \
     *        -rf json -rff read-mostly-nested.json
     *
     * The pool comparison, paired (both pools in each fork):
     *
     *   java -jar jmh-benchmarks/target/benchmarks.jar 'ReadMostlyBenchmark.PoolTaskPaired' -f 10 \
     *        -rf json -rff pool-paired.json
     *
     * JMH sums an EVENTS counter over the iterations, so read the ratio per iteration from the
     * JSON (secondaryMetrics.ratio.rawData, one list per fork) and take its mean with a 99.9%
     * Student-t interval over all iterations, as JMH does for a score.
     *
     * Both read sides: run once on JDK 17 (FENCED) and once on JDK 22+ with
     * --enable-native-access=ALL-UNNAMED (-jvmArgsAppend), which the library takes as ASYMMETRIC.
     * Read the reader scores (ns per op of `lookups` lookups) as ratios to unprotectedRead inside one
     * run (one -tg); B/op is gc.alloc.rate.norm and is 0 for every reader. qsbrRead reports once per
     * op; -p lookups=64,1024 prices a short task and one of about 0.7 µs, and -p readsPerQuiescent=1
     * a report per lookup (the price of quiescent() itself is QuiescentCost). Check PoolTask.task near 1 µs and
     * SynchronizeLatency's tasks near 10 µs first (taskTokens), and say how many CPUs ran the
     * workers next to the benchmark thread.
     */
}
