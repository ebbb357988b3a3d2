package dev.raceless.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The project's performance bars, in one place, and how each is checked against one run's
 * results. Each bar names benchmarks as {@code Class.method} (add {@code [param=value]} to pick
 * one parameter combination) and a thread count; a bar whose benchmarks did not run reads "not
 * measured", never "missed".
 *
 * <p><b>Verdicts are judged at the edge of the interval.</b> A bar holds only when it holds for
 * every value in the 99.9% confidence interval of the measured figure (for a ratio: the interval
 * of the quotient of the two intervals), and is missed only when no value in it meets the bar;
 * otherwise it is "inconclusive (noise)" and the report prints the interval. A SampleTime median
 * has no confidence interval in JMH's output: its interval is the lowest to the highest median
 * of the measurement iterations. Without an interval (a single iteration) nothing holds.
 *
 * <p><b>Read-side flavours.</b> A bar whose benchmarks carry {@code [readside=fenced]} or
 * {@code [readside=asymmetric]} is judged on the rows of that flavoured run (the JDK 22+ forks
 * forced to the flavour, see {@link Flavours}); a bar without one is judged on the default run
 * only, never on flavoured rows.
 *
 * <p><b>Adding or renaming a bar.</b> Change the name constants or add one line to
 * {@link #ALL}; the report's bar table, its wording and its verdicts follow.
 *
 * <p><b>What the ratios mean.</b> Speed is aggregate throughput (all threads' operations per
 * second). At one thread count that is the inverse of the time per operation, so "A ≥ 3× faster
 * than B at 2 threads" is {@code time(B) / time(A) ≥ 3} and "A ≤ 1.5× B" is
 * {@code time(A) / time(B) ≤ 1.5}. Ratios between two classes compare separate JVM forks and say
 * so in the table.
 */
final class Bars {
    /* Implementation notes: a bar is data (a record), not code: a kind, the benchmark(s), the
     * thread count(s) and a threshold. check() is the one place that turns a kind into a
     * comparison, and describe() the one place that turns it into words, so the two cannot
     * disagree. Kinds are few on purpose: every bar is one of them. */

    private Bars() {
    }

    /** Use every thread count that was measured (ALLOC), or the only run (the other kinds). */
    static final int ANY = 0;

    // ---- benchmark names (Class.method) ---------------------------------------------------
    static final String USE_COUNT = "UsePairBenchmark.useCount";
    /** The same pair through the thread's own {@code UseCount.Local}. */
    static final String USE_COUNT_LOCAL = "UsePairBenchmark.useCountLocal";
    static final String ATOMIC_LONG = "UsePairBenchmark.atomicLongIncNotZero";
    static final String LONG_ADDER = "UsePairBenchmark.longAdderFlag";
    static final String AGRONA = "UsePairBenchmark.agronaIncDec";
    static final String STAMPED_READ = "UsePairBenchmark.stampedRead";
    /** The Footprint table row that holds UseCount at its default stripe count. */
    static final String FOOTPRINT_DEFAULT_ROW = "UseCount() default";

    // The GraceDomain and loader benchmarks (packages dev.raceless.bench.grace and .loader).
    static final String GRACE_ENTER_EXIT = "ReadSideBenchmark.enterExit";
    /** The same section through the thread's own {@code GraceDomain.Local}. */
    static final String GRACE_ENTER_EXIT_LOCAL = "ReadSideBenchmark.enterExitLocal";
    static final String GRACE_STAMPED_READ = "ReadSideBenchmark.stampedRead";
    /** SampleTime, one synchronizer thread; no section is ever open. */
    static final String GRACE_SYNC_NO_READERS = "SynchronizeBenchmark.noReaders";
    /** SampleTime, one synchronizer thread; the readers are daemon threads outside the score. */
    static final String GRACE_SYNC_SHORT_READERS = "SynchronizeBenchmark.shortReaders";
    static final String GRACE_ONE_SYNCHRONIZER = "SynchronizersBenchmark.oneSynchronizer";
    static final String GRACE_TWO_SYNCHRONIZERS = "SynchronizersBenchmark.twoSynchronizers";
    static final String GRACE_CALL_AFTER_GRACE = "CallAfterGraceBenchmark.callAfterGrace";
    static final String LOADER_HOT_PATH = "LoaderHotPathBenchmark.acquireRelease";
    /** The bare UseCount pair in the loader's own class: L1/L2 compare within one run. */
    static final String LOADER_USE_COUNT = "LoaderHotPathBenchmark.useCount";
    /** The peer of ReadSideBenchmark, in the same fork as enterExit. */
    static final String GRACE_LONG_ADDER = "ReadSideBenchmark.longAdderFlag";
    /** SampleTime: shutdown() to awaitTermination() with the one use held by another thread. */
    static final String SHUTDOWN_CROSS_THREAD = "ShutdownLatencyBenchmark.crossThread[uses=1]";

    /** A benchmark name restricted to the results of one flavoured run ({@link Flavours}). */
    static String in(String flavour, String bench) {
        if (flavour == null) {
            return bench;
        }
        String tag = Measurement.READ_SIDE_PARAM + "=" + flavour;
        return bench.endsWith("]") ? bench.substring(0, bench.length() - 1) + "," + tag + "]" : bench + "[" + tag + "]";
    }

    /** An allocation per operation shows as ≥ 16 B/op; below this is JMH's own per-iteration
     *  garbage spread over millions of operations (it grows when the machine is loaded). */
    static final double ZERO_ALLOC_BYTES = 0.1;

    /** The kinds of comparison the bars use. */
    enum Kind {
        /** speed(bench @ threads) / speed(other @ otherThreads) ≥ threshold. */
        FASTER_BY_AT_LEAST,
        /** time per op of bench / time per op of other ≤ threshold (same thread count). */
        TIME_RATIO_AT_MOST,
        /** aggregate ops/s of bench at threads / at otherThreads ≥ threshold. */
        SCALES_AT_LEAST,
        /** gc.alloc.rate.norm of bench ≤ threshold B/op (at every thread count when ANY). */
        ALLOC_AT_MOST,
        /** SampleTime median of bench ≤ threshold ns. */
        MEDIAN_AT_MOST_NS,
        /** aggregate ops/s of bench ≥ threshold. */
        THROUGHPUT_AT_LEAST,
        /** bytes of the Footprint row starting with bench ≤ threshold. */
        FOOTPRINT_AT_MOST
    }

    /**
     * One bar.
     *
     * @param id           short label for the table ("U2")
     * @param area         the primitive the bar is about
     * @param kind         the comparison
     * @param bench        the benchmark under test ({@code Class.method[params]}), or a Footprint row
     * @param threads      its thread count, or {@link #ANY}
     * @param other        the benchmark it is compared with (null when the kind needs none; bench
     *                     again for SCALES_AT_LEAST)
     * @param otherThreads the other's thread count
     * @param threshold    the bar
     */
    record Bar(String id, String area, Kind kind, String bench, int threads, String other, int otherThreads,
               double threshold) {
    }

    static final List<Bar> ALL = List.of(
            // UseCount (UsePairBenchmark: one take+drop per op, AverageTime ns/op per thread)
            new Bar("U1", "UseCount", Kind.TIME_RATIO_AT_MOST, USE_COUNT, 1, AGRONA, 1, 1.0),
            new Bar("U2", "UseCount", Kind.FASTER_BY_AT_LEAST, USE_COUNT, 2, ATOMIC_LONG, 2, 3.0),
            new Bar("U3", "UseCount", Kind.FASTER_BY_AT_LEAST, USE_COUNT, 2, LONG_ADDER, 2, 2.0),
            new Bar("U4a", "UseCount", Kind.SCALES_AT_LEAST, USE_COUNT, 4, USE_COUNT, 2, 0.8),
            new Bar("U4b", "UseCount", Kind.SCALES_AT_LEAST, USE_COUNT, 8, USE_COUNT, 2, 0.8),
            new Bar("U5", "UseCount", Kind.ALLOC_AT_MOST, USE_COUNT, ANY, null, ANY, ZERO_ALLOC_BYTES),
            new Bar("U6", "UseCount", Kind.FOOTPRINT_AT_MOST, FOOTPRINT_DEFAULT_ROW, ANY, null, ANY, 1024),

            // GraceDomain: enter+exit within the UseCount bars, and the grace-period bars
            new Bar("G1", "GraceDomain", Kind.TIME_RATIO_AT_MOST, GRACE_ENTER_EXIT, 1, AGRONA, 1, 1.0),
            new Bar("G2", "GraceDomain", Kind.FASTER_BY_AT_LEAST, GRACE_ENTER_EXIT, 2, ATOMIC_LONG, 2, 3.0),
            new Bar("G3", "GraceDomain", Kind.FASTER_BY_AT_LEAST, GRACE_ENTER_EXIT, 2, LONG_ADDER, 2, 2.0),
            new Bar("G4a", "GraceDomain", Kind.SCALES_AT_LEAST, GRACE_ENTER_EXIT, 4, GRACE_ENTER_EXIT, 2, 0.8),
            new Bar("G4b", "GraceDomain", Kind.SCALES_AT_LEAST, GRACE_ENTER_EXIT, 8, GRACE_ENTER_EXIT, 2, 0.8),
            new Bar("G5", "GraceDomain", Kind.FASTER_BY_AT_LEAST, GRACE_ENTER_EXIT, 2, GRACE_STAMPED_READ, 2, 5.0),
            new Bar("G6", "GraceDomain", Kind.ALLOC_AT_MOST, GRACE_ENTER_EXIT, ANY, null, ANY, ZERO_ALLOC_BYTES),
            new Bar("G7", "GraceDomain", Kind.MEDIAN_AT_MOST_NS, GRACE_SYNC_NO_READERS, ANY, null, ANY, 1_000),
            new Bar("G8", "GraceDomain", Kind.MEDIAN_AT_MOST_NS, GRACE_SYNC_SHORT_READERS, ANY, null, ANY, 20_000),
            new Bar("G9", "GraceDomain", Kind.FASTER_BY_AT_LEAST, GRACE_TWO_SYNCHRONIZERS, ANY,
                    GRACE_ONE_SYNCHRONIZER, ANY, 1.5),
            new Bar("G10", "GraceDomain", Kind.THROUGHPUT_AT_LEAST, GRACE_CALL_AFTER_GRACE, 2, null, ANY, 5e6),

            // Loader: the hot path against the bare UseCount pair
            new Bar("L1", "Loader", Kind.TIME_RATIO_AT_MOST, LOADER_HOT_PATH, 1, LOADER_USE_COUNT, 1, 1.5),
            new Bar("L2", "Loader", Kind.TIME_RATIO_AT_MOST, LOADER_HOT_PATH, 2, LOADER_USE_COUNT, 2, 1.5),
            new Bar("L3", "Loader", Kind.ALLOC_AT_MOST, LOADER_HOT_PATH, ANY, null, ANY, ZERO_ALLOC_BYTES),

            // Read side, default run (JDK 17: FENCED): the bars FENCED adds to G1-G8
            new Bar("F1", "Read side FENCED, default JDK", Kind.FASTER_BY_AT_LEAST, GRACE_ENTER_EXIT, 1, GRACE_LONG_ADDER, 1, 1.5),
            new Bar("F2", "Read side FENCED, default JDK", Kind.FASTER_BY_AT_LEAST, GRACE_ENTER_EXIT, 2, GRACE_LONG_ADDER, 2, 1.5),
            new Bar("F1L", "Read side FENCED, default JDK", Kind.FASTER_BY_AT_LEAST, GRACE_ENTER_EXIT_LOCAL, 1,
                    GRACE_LONG_ADDER, 1, 1.5),
            new Bar("F2L", "Read side FENCED, default JDK", Kind.FASTER_BY_AT_LEAST, GRACE_ENTER_EXIT_LOCAL, 2,
                    GRACE_LONG_ADDER, 2, 1.5),
            new Bar("F3", "Read side FENCED, default JDK", Kind.MEDIAN_AT_MOST_NS, SHUTDOWN_CROSS_THREAD, ANY, null, ANY, 50_000),

            // Read side, forced ASYMMETRIC on a JDK 22+ (the rows marked readside=asymmetric)
            flavoured("A1", "asymmetric", Kind.FASTER_BY_AT_LEAST, USE_COUNT, 1, LONG_ADDER, 3.0),
            flavoured("A2", "asymmetric", Kind.FASTER_BY_AT_LEAST, USE_COUNT, 2, LONG_ADDER, 3.0),
            flavoured("A3", "asymmetric", Kind.FASTER_BY_AT_LEAST, GRACE_ENTER_EXIT, 1, GRACE_LONG_ADDER, 3.0),
            flavoured("A4", "asymmetric", Kind.FASTER_BY_AT_LEAST, GRACE_ENTER_EXIT, 2, GRACE_LONG_ADDER, 3.0),
            flavoured("A1L", "asymmetric", Kind.FASTER_BY_AT_LEAST, USE_COUNT_LOCAL, 1, LONG_ADDER, 3.0),
            flavoured("A2L", "asymmetric", Kind.FASTER_BY_AT_LEAST, USE_COUNT_LOCAL, 2, LONG_ADDER, 3.0),
            flavoured("A3L", "asymmetric", Kind.FASTER_BY_AT_LEAST, GRACE_ENTER_EXIT_LOCAL, 1, GRACE_LONG_ADDER, 3.0),
            flavoured("A4L", "asymmetric", Kind.FASTER_BY_AT_LEAST, GRACE_ENTER_EXIT_LOCAL, 2, GRACE_LONG_ADDER, 3.0),
            flavoured("A5a", "asymmetric", Kind.SCALES_AT_LEAST, USE_COUNT, 4, USE_COUNT, 0.8),
            flavoured("A5b", "asymmetric", Kind.SCALES_AT_LEAST, USE_COUNT, 8, USE_COUNT, 0.8),
            flavoured("A6a", "asymmetric", Kind.SCALES_AT_LEAST, GRACE_ENTER_EXIT, 4, GRACE_ENTER_EXIT, 0.8),
            flavoured("A6b", "asymmetric", Kind.SCALES_AT_LEAST, GRACE_ENTER_EXIT, 8, GRACE_ENTER_EXIT, 0.8),
            flavoured("A7", "asymmetric", Kind.MEDIAN_AT_MOST_NS, GRACE_SYNC_NO_READERS, ANY, null, 10_000),
            flavoured("A8", "asymmetric", Kind.MEDIAN_AT_MOST_NS, GRACE_SYNC_SHORT_READERS, ANY, null, 50_000),
            flavoured("A9", "asymmetric", Kind.MEDIAN_AT_MOST_NS, SHUTDOWN_CROSS_THREAD, ANY, null, 50_000),
            flavoured("A10", "asymmetric", Kind.ALLOC_AT_MOST, USE_COUNT, ANY, null, ZERO_ALLOC_BYTES),
            flavoured("A11", "asymmetric", Kind.ALLOC_AT_MOST, GRACE_ENTER_EXIT, ANY, null, ZERO_ALLOC_BYTES),
            flavoured("A12", "asymmetric", Kind.ALLOC_AT_MOST, LOADER_HOT_PATH, ANY, null, ZERO_ALLOC_BYTES),

            // Read side, forced FENCED on the same JDK 22+ (the rows marked readside=fenced)
            flavoured("J1", "fenced", Kind.FASTER_BY_AT_LEAST, GRACE_ENTER_EXIT, 1, GRACE_LONG_ADDER, 1.5),
            flavoured("J2", "fenced", Kind.FASTER_BY_AT_LEAST, GRACE_ENTER_EXIT, 2, GRACE_LONG_ADDER, 1.5),
            flavoured("J1L", "fenced", Kind.FASTER_BY_AT_LEAST, GRACE_ENTER_EXIT_LOCAL, 1, GRACE_LONG_ADDER, 1.5),
            flavoured("J2L", "fenced", Kind.FASTER_BY_AT_LEAST, GRACE_ENTER_EXIT_LOCAL, 2, GRACE_LONG_ADDER, 1.5),
            flavoured("J3a", "fenced", Kind.SCALES_AT_LEAST, USE_COUNT, 4, USE_COUNT, 0.8),
            flavoured("J3b", "fenced", Kind.SCALES_AT_LEAST, USE_COUNT, 8, USE_COUNT, 0.8),
            flavoured("J4a", "fenced", Kind.SCALES_AT_LEAST, GRACE_ENTER_EXIT, 4, GRACE_ENTER_EXIT, 0.8),
            flavoured("J4b", "fenced", Kind.SCALES_AT_LEAST, GRACE_ENTER_EXIT, 8, GRACE_ENTER_EXIT, 0.8),
            flavoured("J5", "fenced", Kind.MEDIAN_AT_MOST_NS, GRACE_SYNC_NO_READERS, ANY, null, 1_000),
            flavoured("J6", "fenced", Kind.MEDIAN_AT_MOST_NS, GRACE_SYNC_SHORT_READERS, ANY, null, 50_000),
            flavoured("J7", "fenced", Kind.MEDIAN_AT_MOST_NS, SHUTDOWN_CROSS_THREAD, ANY, null, 50_000),
            flavoured("J8", "fenced", Kind.ALLOC_AT_MOST, USE_COUNT, ANY, null, ZERO_ALLOC_BYTES),
            flavoured("J9", "fenced", Kind.ALLOC_AT_MOST, GRACE_ENTER_EXIT, ANY, null, ZERO_ALLOC_BYTES),
            flavoured("J10", "fenced", Kind.ALLOC_AT_MOST, LOADER_HOT_PATH, ANY, null, ZERO_ALLOC_BYTES)
    );

    /**
     * A bar on one flavoured run: both benchmarks from the forks forced to {@code flavour} on the
     * JDK 22+ (so a ratio compares within one JVM kind); {@code other} at the same thread count,
     * except for SCALES_AT_LEAST, whose other is the 2-thread figure.
     */
    private static Bar flavoured(String id, String flavour, Kind kind, String bench, int threads, String other,
                                 double threshold) {
        int otherThreads = kind == Kind.SCALES_AT_LEAST ? 2 : threads;
        String area = "Read side " + flavour.toUpperCase(Locale.ROOT) + ", JDK 22+";
        return new Bar(id, area, kind, in(flavour, bench), threads, other == null ? null : in(flavour, other),
                otherThreads, threshold);
    }

    enum Status { HOLDS, MISSED, INCONCLUSIVE, NOT_MEASURED }

    /**
     * A bar checked against one run.
     *
     * @param bar      the bar
     * @param status   the verdict
     * @param measured the measured figure in words, with the division it comes from and its interval
     * @param value    the measured figure in the bar's terms (a ratio, ns, ops/s, B/op, bytes)
     * @param interval its 99.9% interval (min–max over iterations for a median; a point for a
     *                 footprint), possibly unknown
     */
    record Outcome(Bar bar, Status status, String measured, double value, Measurement.Interval interval) {

        static Outcome notMeasured(Bar b, String why) {
            return new Outcome(b, Status.NOT_MEASURED, why, Double.NaN, Measurement.Interval.UNKNOWN);
        }

        /** "≥" bars (faster, scales, throughput) against "≤" bars (time ratio, median, allocation, bytes). */
        boolean atLeast() {
            return Bars.atLeast(bar.kind());
        }

        /**
         * How many times over the bar the figure is: value ÷ threshold for "≥" bars, threshold ÷
         * value for "≤" bars, so above 1 meets the bar either way (the summary chart draws this).
         */
        double margin(double v) {
            double floor = 1e-6 * bar.threshold(); // 0 B/op is "infinitely" under the bar: draw it at 10^6
            return atLeast() ? v / bar.threshold() : bar.threshold() / Math.max(v, floor);
        }

        /** The verdict as the report's bar table prints it. */
        String verdict() {
            switch (status) {
                case HOLDS: return "yes";
                case MISSED: return "**NO**";
                case INCONCLUSIVE: return "inconclusive (noise)";
                default: return "not measured";
            }
        }
    }

    static boolean atLeast(Kind k) {
        return k == Kind.FASTER_BY_AT_LEAST || k == Kind.SCALES_AT_LEAST || k == Kind.THROUGHPUT_AT_LEAST;
    }

    /** The bar in words: "2 threads: useCount ≥ 3× faster than atomicLongIncNotZero". */
    static String describe(Bar b) {
        String a = method(b.bench());
        String o = b.other() == null ? null : method(b.other());
        switch (b.kind()) {
            case FASTER_BY_AT_LEAST:
                return at(b.threads()) + a + " ≥ " + times(b.threshold()) + " faster than " + o
                        + (b.otherThreads() != b.threads() ? " " + at(b.otherThreads()).trim() : "");
            case TIME_RATIO_AT_MOST:
                return at(b.threads()) + a + " ≤ " + times(b.threshold()) + " the time per op of " + o;
            case SCALES_AT_LEAST:
                return b.threads() + " threads: aggregate throughput of " + a + " ≥ " + times(b.threshold())
                        + " its " + b.otherThreads() + "-thread aggregate";
            case ALLOC_AT_MOST:
                return at(b.threads()) + a + ": 0 B/op (gc.alloc.rate.norm ≤ " + num(b.threshold()) + ")";
            case MEDIAN_AT_MOST_NS:
                return at(b.threads()) + a + ": median ≤ " + duration(b.threshold());
            case THROUGHPUT_AT_LEAST:
                return at(b.threads()) + a + " ≥ " + num(b.threshold() / 1e6) + " M ops/s (all threads)";
            case FOOTPRINT_AT_MOST:
                return "footprint of " + b.bench() + " ≤ " + (long) b.threshold() + " bytes";
            default:
                throw new AssertionError(b.kind());
        }
    }

    /** Checks one bar against the results (and the Footprint rows). */
    static Outcome check(Bar b, List<Measurement> results, List<FootprintRun.Row> footprint) {
        if (b.kind() == Kind.FOOTPRINT_AT_MOST) {
            Optional<FootprintRun.Row> row = footprint.stream()
                    .filter(r -> r.counter().startsWith(b.bench())).findFirst();
            if (row.isEmpty()) {
                return Outcome.notMeasured(b, "not measured");
            }
            long bytes = row.get().bytes(); // exact (JOL), so its interval is a point
            return verdict(b, row.get().counter() + ": " + bytes + " bytes", bytes, new Measurement.Interval(bytes, bytes));
        }
        if (b.kind() == Kind.ALLOC_AT_MOST) {
            List<Measurement> ms = results.stream().filter(m -> m.matches(b.bench()))
                    .filter(m -> b.threads() == ANY || m.threads() == b.threads())
                    .filter(m -> m.bytesPerOp() != null && !m.bytesPerOp().isNaN())
                    .collect(Collectors.toList());
            if (ms.isEmpty()) {
                return Outcome.notMeasured(b, "not measured");
            }
            // the thread count whose interval reaches highest decides (unknown intervals first)
            Measurement worst = ms.stream().max(Comparator.comparingDouble((Measurement x) ->
                    x.bytesInterval().known() ? x.bytesInterval().hi() : Double.POSITIVE_INFINITY)
                    .thenComparingDouble(Measurement::bytesPerOp)).get();
            String threads = ms.stream().map(m -> String.valueOf(m.threads())).distinct()
                    .collect(Collectors.joining(", "));
            return verdict(b, String.format(Locale.ROOT, "worst of threads %s: %.3f B/op at %d thread%s", threads,
                    worst.bytesPerOp(), worst.threads(), worst.threads() == 1 ? "" : "s")
                    + ci(worst.bytesInterval(), v -> String.format(Locale.ROOT, "%.3f", v), " B/op"),
                    worst.bytesPerOp(), worst.bytesInterval());
        }

        Measurement m = find(results, b.bench(), b.threads());
        Measurement o = b.other() == null ? null : find(results, b.other(), b.otherThreads());
        if (m == null || (b.other() != null && o == null)) {
            return Outcome.notMeasured(b, "not measured");
        }
        String apart = o != null && !m.className().equals(o.className()) ? " (separate classes, separate JVMs)" : "";
        switch (b.kind()) {
            case FASTER_BY_AT_LEAST: {
                double r = m.aggregateOpsPerSecond() / o.aggregateOpsPerSecond();
                Measurement.Interval ri = m.aggregateInterval().dividedBy(o.aggregateInterval());
                String division = m.threads() == o.threads()
                        // same thread count: ops/s ratio = inverse time ratio, printed as times
                        ? o.method() + " " + ns(o) + " ÷ " + m.method() + " " + ns(m)
                        // different thread counts: only the aggregate throughputs divide to r
                        : m.method() + " " + mops(m) + " (" + threadsWord(m.threads()) + ") ÷ " + o.method() + " "
                                + mops(o) + " (" + threadsWord(o.threads()) + ")";
                return verdict(b, division + " = **" + ratio(r) + "** faster" + ci(ri, Bars::ratioNumber, "×")
                        + apart, r, ri);
            }
            case TIME_RATIO_AT_MOST: {
                double r = m.nanosPerOp() / o.nanosPerOp();
                Measurement.Interval ri = m.nanosInterval().dividedBy(o.nanosInterval());
                return verdict(b, m.method() + " " + ns(m) + " ÷ " + o.method() + " " + ns(o) + " = **" + ratio(r)
                        + "**" + ci(ri, Bars::ratioNumber, "×") + apart, r, ri);
            }
            case SCALES_AT_LEAST: {
                double r = m.aggregateOpsPerSecond() / o.aggregateOpsPerSecond();
                Measurement.Interval ri = m.aggregateInterval().dividedBy(o.aggregateInterval());
                return verdict(b, mops(m) + " at " + m.threads() + " threads ÷ " + mops(o) + " at " + o.threads()
                        + " = **" + ratio(r) + "**" + ci(ri, Bars::ratioNumber, "×"), r, ri);
            }
            case MEDIAN_AT_MOST_NS: {
                Double p50 = m.medianNanos();
                if (p50 == null) { // not SampleTime: the mean is all there is, and it says so
                    double mean = m.nanosPerOp();
                    return verdict(b, "mean " + duration(mean) + " (not SampleTime: no median)"
                            + ci(m.nanosInterval(), Bars::duration, ""), mean, m.nanosInterval());
                }
                Measurement.Interval range = m.percentileRangeNanos(0.5);
                return verdict(b, "median **" + duration(p50) + "**" + (range.known()
                        ? " (iteration medians " + duration(range.lo()) + "–" + duration(range.hi()) + ")"
                        : " (one iteration: no range)"), p50, range);
            }
            case THROUGHPUT_AT_LEAST: {
                double agg = m.aggregateOpsPerSecond();
                return verdict(b, "**" + mops(m) + "** at " + m.threads() + " threads"
                        + ci(m.aggregateInterval().times(1e-6), Bars::mopsNumber, " M ops/s"), agg, m.aggregateInterval());
            }
            default:
                throw new AssertionError(b.kind());
        }
    }

    static List<Outcome> checkAll(List<Measurement> results, List<FootprintRun.Row> footprint) {
        List<Outcome> out = new ArrayList<>();
        for (Bar b : ALL) {
            out.add(check(b, results, footprint));
        }
        return out;
    }

    /** Holds if the whole interval meets the bar, missed if none of it does, else inconclusive. */
    private static Outcome verdict(Bar b, String measured, double value, Measurement.Interval interval) {
        if (Double.isNaN(value)) {
            return new Outcome(b, Status.NOT_MEASURED, measured + " (no score)", value, interval);
        }
        Status s;
        if (!interval.known()) {
            s = Status.INCONCLUSIVE;
        } else if (atLeast(b.kind())) {
            s = interval.lo() >= b.threshold() ? Status.HOLDS : interval.hi() < b.threshold() ? Status.MISSED
                    : Status.INCONCLUSIVE;
        } else {
            s = interval.hi() <= b.threshold() ? Status.HOLDS : interval.lo() > b.threshold() ? Status.MISSED
                    : Status.INCONCLUSIVE;
        }
        return new Outcome(b, s, measured, value, interval);
    }

    /** ", 99.9% CI 4.90×–9.61×", or the reason there is none. */
    private static String ci(Measurement.Interval i, java.util.function.DoubleFunction<String> f, String unit) {
        if (!i.known()) {
            return " (no interval: too few iterations)";
        }
        String hi = Double.isInfinite(i.hi()) ? "∞" : f.apply(i.hi()) + unit;
        return " (99.9% CI " + f.apply(i.lo()) + unit + "–" + hi + ")";
    }

    private static String threadsWord(int t) {
        return t + (t == 1 ? " thread" : " threads");
    }

    /** The result a bar names at a thread count; for ANY, the run with the fewest threads. */
    static Measurement find(List<Measurement> results, String ref, int threads) {
        return results.stream().filter(m -> m.matches(ref)).filter(m -> threads == ANY || m.threads() == threads)
                .min((x, y) -> Integer.compare(x.threads(), y.threads())).orElse(null);
    }

    private static String method(String ref) {
        String name = ref.contains("[") ? ref.substring(0, ref.indexOf('[')) : ref;
        return name.substring(name.lastIndexOf('.') + 1) + (ref.contains("[") ? ref.substring(ref.indexOf('[')) : "");
    }

    private static String at(int threads) {
        return threads == ANY ? "" : threads + (threads == 1 ? " thread: " : " threads: ");
    }

    /** A ratio bar: "3.0×", "0.8×". */
    private static String times(double d) {
        return String.format(Locale.ROOT, "%.1f×", d);
    }

    static String num(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.2f", d);
    }

    private static String ratio(double r) {
        return ratioNumber(r) + "×";
    }

    static String ratioNumber(double r) {
        return String.format(Locale.ROOT, "%.2f", r);
    }

    static String mopsNumber(double v) {
        return Markdown.fmt(v);
    }

    private static String ns(Measurement m) {
        return String.format(Locale.ROOT, "%.2f ns", m.nanosPerOp());
    }

    private static String mops(Measurement m) {
        return Markdown.fmt(m.aggregateOpsPerSecond() / 1e6) + " M ops/s";
    }

    static String duration(double nanos) {
        if (nanos < 1_000) {
            return String.format(Locale.ROOT, "%.0f ns", nanos);
        }
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
        }
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }
}
