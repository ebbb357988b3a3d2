package dev.raceless.report;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The scenarios the report knows, one entry each: which benchmark class, whether its results mean
 * anything at other thread counts, which of its methods are raceless, and for each peer method
 * whether it is correct for the scenario's job and why not. A benchmark class not listed here
 * still runs when it is in the default packages or matched by {@code --include}: once, with its
 * own {@code @Threads}, charted by what its results look like, every method shown as measured.
 *
 * <p><b>Adding a scenario.</b> One {@code new Suite(...)} entry in {@link #ALL}: the title, the
 * class, whether to sweep threads, the chart, the raceless methods, each peer with its
 * correctness, and the question the class answers. Its tables, ratios, intervals and chart
 * follow. Sweep threads only when every thread runs the same code and the score is per thread or
 * per run (AverageTime, Throughput); never for {@code @Group} benchmarks (their
 * {@code @GroupThreads} fix the shape) or for latency benchmarks that start threads of their own.
 * To run it again in both read-side flavours on a JDK 22+, add a line to {@link #BOTH_FLAVOURS}.
 */
final class Suites {

    private Suites() {
    }

    /** How a suite is drawn. */
    enum Chart {
        /** Aggregate ops/s against the thread count, one line per method: for swept suites. */
        THROUGHPUT_VS_THREADS,
        /** For classes run once: a throughput chart of the Throughput results and a latency chart
         *  (p50, p90 and p99 for SampleTime, else the mean) of the time results, each if any. */
        LATENCY,
        /** Decide from the data: a throughput chart if there are several thread counts, a latency
         *  chart for SampleTime results, else none. Used for classes not listed here. */
        AUTO,
        NONE
    }

    /**
     * One benchmark class in the report.
     *
     * @param title        the section heading
     * @param classRegex   the benchmark class, as a regex over its full name (whole match)
     * @param sweepThreads run it at every thread count of the sweep (1, 2, 4, …), or once
     * @param chart        how to draw it
     * @param raceless     the methods that measure raceless; the ratio table divides each by each
     *                     peer ({@link #isPeer})
     * @param peers        each peer method and whether it is correct for the scenario's job, in
     *                     words that start with "yes" or "no" ("no (a counter, no shutdown)");
     *                     empty when the class measures raceless alone
     * @param byDefault    false for classes run only when {@code --include} names them
     * @param question     the one question the class answers, printed under the heading
     */
    record Suite(String title, String classRegex, boolean sweepThreads, Chart chart, List<String> raceless,
                 Map<String, String> peers, boolean byDefault, String question) {

        boolean matches(String className) {
            return Pattern.compile(classRegex).matcher(className).matches();
        }

        boolean isRaceless(String method) {
            return raceless.contains(method);
        }

        /**
         * Whether the ratio tables divide raceless methods by this one: a listed peer, or, in a
         * class with no peers listed, every method that is not raceless. Other methods of a class
         * with peers (a {@code @Group}'s updater, a baseline) are shown but divide nothing.
         */
        boolean isPeer(String method) {
            return peers.isEmpty() ? !isRaceless(method) && !method.contains(Measurement.COUNTER_SEPARATOR)
                    : peers.containsKey(method);
        }

        /** Whether the method is correct for the job: "yes" for raceless, the peer's entry, or null. */
        String correctness(String method) {
            return isRaceless(method) ? RACELESS_CORRECT : peers.get(method);
        }

        /** Whether the report prints a correctness column for this class. */
        boolean hasPeers() {
            return !peers.isEmpty();
        }
    }

    /** The correctness of every raceless method, in its own scenario. */
    static final String RACELESS_CORRECT = "yes";

    private static final String REFCOUNT = "dev\\.raceless\\.bench\\.refcount\\.";
    private static final String GRACE = "dev\\.raceless\\.bench\\.grace\\.";
    private static final String LOADER = "dev\\.raceless\\.bench\\.loader\\.";

    /** Benchmark classes outside these packages run only when {@code --include} names them. */
    static final String DEFAULT_PACKAGES = "dev\\.raceless\\.bench\\.(refcount|grace|registry|loader)\\..*";

    /** A sum of stripes plus a closed flag: a use can begin after the unloader read zero. */
    private static final String NO_SNAPSHOT = "no (the sum is no snapshot; the flag races the shutdown)";
    /** A read lock as the use, the write lock as the shutdown. */
    private static final String LOCK_WORD = "yes (the write lock is the shutdown)";

    /** The report's order: sections appear in this order, unlisted classes after them. */
    static final List<Suite> ALL = List.of(
            new Suite("UseCount: one use pair on a shared object", REFCOUNT + "UsePairBenchmark", true,
                    Chart.THROUGHPUT_VS_THREADS, List.of("useCount", "useCountLocal"),
                    Map.of("atomicLongIncNotZero", "yes (increment-if-not-zero on one word)",
                            "longAdderFlag", NO_SNAPSHOT,
                            "jctoolsStripedFlag", NO_SNAPSHOT,
                            "agronaIncDec", "no (a counter, no shutdown)",
                            "rwLockRead", LOCK_WORD,
                            "stampedRead", LOCK_WORD), true,
                    "What does one take-and-drop cost on one object shared by all threads, for UseCount "
                            + "and for the counters a module use count could be built from?"),
            new Suite("UseCount: shutdown to termination", REFCOUNT + "ShutdownLatencyBenchmark", false,
                    Chart.LATENCY, List.of("inlineCycle", "crossThread"), Map.of(), true,
                    "How long from shutdown() to the return of awaitTermination() when uses are held "
                            + "and dropped as soon as the shutdown is seen?"),

            new Suite("GraceDomain: read-side section", GRACE + "ReadSideBenchmark", true,
                    Chart.THROUGHPUT_VS_THREADS, List.of("enterExit", "enterExitLocal"),
                    Map.of("longAdderFlag", NO_SNAPSHOT,
                            "rwLockRead", LOCK_WORD,
                            "stampedRead", LOCK_WORD,
                            "useCount", "yes (raceless UseCount)"), true,
                    "What does one enter+exit cost on a shared GraceDomain, against the JDK read locks "
                            + "and the UseCount pair?"),
            // One synchronizer (@Threads(1)); its readers are daemon threads, so not swept.
            new Suite("GraceDomain: synchronize() latency", GRACE + "SynchronizeBenchmark", false,
                    Chart.LATENCY, List.of("noReaders", "shortReaders"), Map.of(), true,
                    "How long does synchronize() take with no readers, and under short readers?"),
            // Each method fixes its own @Threads (1 and 2): sweeping would erase the comparison.
            new Suite("GraceDomain: concurrent synchronizers", GRACE + "SynchronizersBenchmark", false,
                    Chart.LATENCY, List.of("oneSynchronizer", "twoSynchronizers"), Map.of(), true,
                    "Do concurrent synchronize() callers share grace periods (calls per second of two "
                            + "callers against one)?"),
            // callAfterGrace at its own @Threads(2), barrierLatency at 1.
            new Suite("GraceDomain: callAfterGrace and barrier()", GRACE + "CallAfterGraceBenchmark", false,
                    Chart.LATENCY, List.of("callAfterGrace", "barrierLatency"), Map.of(), true,
                    "How many deferred actions per second can callAfterGrace take from two threads, and "
                            + "how long does barrier() take behind a few queued actions?"),
            new Suite("Loader: hot path", LOADER + "LoaderHotPathBenchmark", true,
                    Chart.THROUGHPUT_VS_THREADS,
                    List.of("bindingAcquireRelease", "bindingCall", "bindingCallQuiescent", "acquireRelease",
                            "acquireReleaseDuringChurn", "registryForEach4"),
                    Map.of("useCount", "yes for one module (the bare UseCount pair, no key lookup)"), true,
                    "What does a call through the loader cost, through a binding the caller keeps and by "
                            + "name, against the bare UseCount pair, and while another thread keeps unloading "
                            + "the module?"),
            new Suite("Registry: deregistration latency", LOADER + "DeregistrationLatencyBenchmark", false,
                    Chart.LATENCY,
                    List.of("tryDeregister", "deregister", "deregisterAsyncIdle", "deregisterAsyncInFlight"),
                    Map.of(), true,
                    "How long from a deregistration call to DEREGISTERED, for each variant, with no call "
                            + "in flight and with one that ends promptly?"),

            // @Group benchmarks (one reader, one updater each): the reader rows are the question.
            new Suite("QuiescentDomain: read-mostly lookups", GRACE + "ReadMostlyBenchmark", false, Chart.NONE,
                    List.of("qsbrRead", "graceRead", "graceLocalRead"),
                    Map.of("unprotectedRead", "no (no protection: the floor; a table may be freed while read)",
                            "stampedRead", "yes (optimistic read, validated; the update takes the write lock)",
                            "rwLockRead", "yes (the update takes the write lock)"), true,
                    "What does a reader pay for one op of 64 lookups in a published table, while one updater "
                            + "replaces the table and frees the old one once no reader can hold it, under each "
                            + "protection and under none (the …Update rows: one replacement, its grace period "
                            + "or write lock, and a 100 µs pause)?"),
            new Suite("QuiescentDomain: quiescent()", GRACE + "ReadMostlyBenchmark\\.QuiescentCost", false,
                    Chart.NONE, List.of("quiescent"),
                    Map.of("volatileRead", "no (one volatile read: a scale, not a protection)"), true,
                    "What does a reader's report of a quiescent state cost?"),
            new Suite("QuiescentDomain: pool tasks", GRACE + "ReadMostlyBenchmark\\.PoolTask", false, Chart.NONE,
                    List.of("quiescentExecutor"),
                    Map.of("plainExecutor", "yes (the same pool without grace periods: the baseline)"), true,
                    "What does a batch of 64 short tasks cost per task through a QuiescentExecutor, against "
                            + "a plain ThreadPoolExecutor (each pool in its own forks) and the task alone?"),
            new Suite("QuiescentDomain: pool tasks, paired", GRACE + "ReadMostlyBenchmark\\.PoolTaskPaired", false,
                    Chart.NONE, List.of(), Map.of(), true,
                    "The same batches on both pools in each fork, in alternating order: pair:ratio is each "
                            + "iteration's time on the QuiescentExecutor over its time on the plain pool."),
            new Suite("QuiescentDomain: synchronize() latency", GRACE + "ReadMostlyBenchmark\\.SynchronizeLatency",
                    false, Chart.LATENCY, List.of("busy"), // idle: shown, no floor to divide by
                    Map.of("busyFloorParked", "no (a bare handshake with the same workers: the floor of busy)",
                            "busyFloorSpinning", "no (the same handshake, the waiter spinning)"), true,
                    "How long does synchronize() take while 2 pool workers run short tasks back to back, "
                            + "and while every worker is idle, against the floor of a handshake with the "
                            + "same workers?"),

            // The floors and the thread-scaling check: their own commands (class comments), not the report.
            new Suite("Floors under the hot paths", REFCOUNT + "HotPathFloorBenchmark", false, Chart.NONE,
                    List.of(), Map.of(), false,
                    "What is the least a use pair can cost on this machine, one required step at a time?"),
            new Suite("UseCount touched first by another thread", REFCOUNT + "TouchedFirstPairBenchmark", false,
                    Chart.NONE, List.of(), Map.of(), false,
                    "Does a count whose setup ran on another thread keep the slot path, at any thread count?")
    );

    /**
     * A read-side benchmark class that runs again in each flavour on a JDK 22+ ({@link Flavours}).
     * Only the methods the side-by-side comparison needs, to keep the quick preset in its
     * budget: {@code ours} at every thread count of the sweep, {@code peers} at 1 and 2 threads
     * (the flavours are compared at those), and in the smoke preset only the first of
     * {@code ours}.
     *
     * @param classRegex the benchmark class (whole match over its full name)
     * @param ours       raceless methods
     * @param peers      the peers they are compared with in the same fork set
     */
    record Flavoured(String classRegex, List<String> ours, List<String> peers) {
        boolean matches(String className) {
            return Pattern.compile(classRegex).matcher(className).matches();
        }
    }

    /** Peers of a flavoured class run up to this many threads. */
    static final int FLAVOURED_PEER_MAX_THREADS = 2;

    /** The read-side benchmarks, run in both flavours when a JDK 22+ is installed. */
    static final List<Flavoured> BOTH_FLAVOURS = List.of(
            new Flavoured(REFCOUNT + "UsePairBenchmark", List.of("useCount", "useCountLocal"),
                    List.of("longAdderFlag")),
            new Flavoured(GRACE + "ReadSideBenchmark", List.of("enterExit", "enterExitLocal"),
                    List.of("longAdderFlag")),
            new Flavoured(LOADER + "LoaderHotPathBenchmark", List.of("bindingAcquireRelease", "acquireRelease"),
                    List.of("useCount")),
            new Flavoured(GRACE + "ReadMostlyBenchmark", List.of("qsbr", "grace", "graceLocal"),
                    List.of("unprotected")),
            new Flavoured(GRACE + "ReadMostlyBenchmark\\.SynchronizeLatency", List.of("busy", "idle"),
                    List.of("busyFloorParked")),
            new Flavoured(GRACE + "SynchronizeBenchmark", List.of("noReaders", "shortReaders"), List.of()),
            new Flavoured(REFCOUNT + "ShutdownLatencyBenchmark", List.of("crossThread"), List.of()));

    /** The flavoured entry for a class, or null. */
    static Flavoured flavoured(String className) {
        return BOTH_FLAVOURS.stream().filter(f -> f.matches(className)).findFirst().orElse(null);
    }

    /** The registered suite for a class, or a single-run, auto-charted suite named after it. */
    static Suite forClass(String className) {
        for (Suite s : ALL) {
            if (s.matches(className)) {
                return s;
            }
        }
        return new Suite(className.substring(className.lastIndexOf('.') + 1), Pattern.quote(className), false,
                Chart.AUTO, List.of(), Map.of(), true, null);
    }

    /** Whether the class is registered (false: the report runs it once and says so). */
    static boolean isRegistered(String className) {
        return ALL.stream().anyMatch(s -> s.matches(className));
    }
}
