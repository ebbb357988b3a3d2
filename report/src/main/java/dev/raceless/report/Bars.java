package dev.raceless.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The performance bars from the issues, in one place, and how each is checked against one run's
 * results. Each bar names benchmarks as {@code Class.method} (add {@code [param=value]} to pick
 * one parameter combination) and a thread count; a bar whose benchmarks did not run reads "not
 * measured", never "missed".
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
     * disagree. Kinds are few on purpose: every bar in the issues is one of them. */

    private Bars() {
    }

    /** Use every thread count that was measured (ALLOC), or the only run (the other kinds). */
    static final int ANY = 0;

    // ---- benchmark names (Class.method) ---------------------------------------------------
    static final String USE_COUNT = "UsePairBenchmark.useCount";
    static final String ATOMIC_LONG = "UsePairBenchmark.atomicLongIncNotZero";
    static final String LONG_ADDER = "UsePairBenchmark.longAdderFlag";
    static final String AGRONA = "UsePairBenchmark.agronaIncDec";
    static final String STAMPED_READ = "UsePairBenchmark.stampedRead";
    /** The Footprint table row that holds UseCount at its default stripe count. */
    static final String FOOTPRINT_DEFAULT_ROW = "UseCount() default";

    // The GraceDomain and loader benchmarks (packages dev.raceless.bench.grace and .loader).
    static final String GRACE_ENTER_EXIT = "ReadSideBenchmark.enterExit";
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

    /** An allocation per operation shows as ≥ 16 B/op; below this is JMH's own per-iteration
     *  garbage spread over millions of operations (it grows when the machine is loaded). */
    static final double ZERO_ALLOC_BYTES = 0.1;

    /** The kinds of comparison the issues ask for. */
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
     * @param area         the primitive the issue is about
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
            new Bar("L3", "Loader", Kind.ALLOC_AT_MOST, LOADER_HOT_PATH, ANY, null, ANY, ZERO_ALLOC_BYTES)
    );

    enum Status { HOLDS, MISSED, NOT_MEASURED }

    /** A bar checked against one run: its status and the measured figure, in words. */
    record Outcome(Bar bar, Status status, String measured) {
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
                return new Outcome(b, Status.NOT_MEASURED, "not measured");
            }
            long bytes = row.get().bytes();
            return new Outcome(b, bytes <= b.threshold() ? Status.HOLDS : Status.MISSED,
                    row.get().counter() + ": " + bytes + " bytes");
        }
        if (b.kind() == Kind.ALLOC_AT_MOST) {
            List<Measurement> ms = results.stream().filter(m -> m.matches(b.bench()))
                    .filter(m -> b.threads() == ANY || m.threads() == b.threads())
                    .filter(m -> m.bytesPerOp() != null && !m.bytesPerOp().isNaN())
                    .collect(Collectors.toList());
            if (ms.isEmpty()) {
                return new Outcome(b, Status.NOT_MEASURED, "not measured");
            }
            Measurement worst = ms.stream().max((x, y) -> Double.compare(x.bytesPerOp(), y.bytesPerOp())).get();
            String threads = ms.stream().map(m -> String.valueOf(m.threads())).distinct()
                    .collect(Collectors.joining(", "));
            return new Outcome(b, worst.bytesPerOp() <= b.threshold() ? Status.HOLDS : Status.MISSED,
                    String.format(Locale.ROOT, "max %.3f B/op (threads %s)", worst.bytesPerOp(), threads));
        }

        Measurement m = find(results, b.bench(), b.threads());
        Measurement o = b.other() == null ? null : find(results, b.other(), b.otherThreads());
        if (m == null || (b.other() != null && o == null)) {
            return new Outcome(b, Status.NOT_MEASURED, "not measured");
        }
        String apart = o != null && !m.className().equals(o.className()) ? " (separate classes, separate JVMs)" : "";
        switch (b.kind()) {
            case FASTER_BY_AT_LEAST: {
                double r = m.aggregateOpsPerSecond() / o.aggregateOpsPerSecond();
                return verdict(b, r >= b.threshold(), o.method() + " " + ns(o) + " ÷ " + m.method() + " " + ns(m)
                        + " = **" + ratio(r) + "** faster" + apart, r);
            }
            case TIME_RATIO_AT_MOST: {
                double r = m.nanosPerOp() / o.nanosPerOp();
                return verdict(b, r <= b.threshold(), m.method() + " " + ns(m) + " ÷ " + o.method() + " " + ns(o)
                        + " = **" + ratio(r) + "**" + apart, r);
            }
            case SCALES_AT_LEAST: {
                double r = m.aggregateOpsPerSecond() / o.aggregateOpsPerSecond();
                return verdict(b, r >= b.threshold(), mops(m) + " at " + m.threads() + " threads ÷ " + mops(o)
                        + " at " + o.threads() + " = **" + ratio(r) + "**", r);
            }
            case MEDIAN_AT_MOST_NS: {
                Double p50 = m.medianNanos();
                if (p50 == null) { // not SampleTime: the mean is all there is, and it says so
                    double mean = m.nanosPerOp();
                    return verdict(b, mean <= b.threshold(), "mean " + duration(mean)
                            + " (not SampleTime: no median)", mean);
                }
                return verdict(b, p50 <= b.threshold(), "median **" + duration(p50) + "**", p50);
            }
            case THROUGHPUT_AT_LEAST: {
                double agg = m.aggregateOpsPerSecond();
                return verdict(b, agg >= b.threshold(), "**" + mops(m) + "** at " + m.threads() + " threads", agg);
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

    private static Outcome verdict(Bar b, boolean holds, String measured, double value) {
        if (Double.isNaN(value)) {
            return new Outcome(b, Status.NOT_MEASURED, measured + " (no score)");
        }
        return new Outcome(b, holds ? Status.HOLDS : Status.MISSED, measured);
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
        return String.format(Locale.ROOT, "%.2f×", r);
    }

    private static String ns(Measurement m) {
        return String.format(Locale.ROOT, "%.2f ns", m.nanosPerOp());
    }

    private static String mops(Measurement m) {
        return String.format(Locale.ROOT, "%.1f M ops/s", m.aggregateOpsPerSecond() / 1e6);
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
