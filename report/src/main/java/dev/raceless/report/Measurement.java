package dev.raceless.report;

import org.apache.commons.math3.distribution.TDistribution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One JMH result (one benchmark method, one parameter combination, one thread count), read back
 * from the JSON JMH writes, with the derived figures the report needs: time per operation per
 * thread, aggregate throughput across threads, the median of a SampleTime distribution, and B/op.
 *
 * @param benchmark   the full JMH name, {@code package.Class.method} (or {@code .group})
 * @param params      the {@code @Param} values of this result, in name order (empty if none); a
 *                    result of a flavoured run ({@link Flavours}) also has {@code jdk} (its
 *                    feature release) and {@code readside} ({@code fenced} or {@code asymmetric}),
 *                    read from its forks' JVM arguments, so its label and the ratio tables tell it apart
 * @param mode        JMH's short mode name: {@code avgt}, {@code thrpt}, {@code sample}, {@code ss}
 * @param threads     the number of benchmark threads (for {@code @Group}, the whole group)
 * @param score       the primary score, in {@code unit}
 * @param error       the half-width of the 99.9% confidence interval, in {@code unit} (NaN if
 *                    there were too few iterations to compute one)
 * @param unit        JMH's unit string: {@code ns/op}, {@code ops/us}, …
 * @param percentiles for {@code sample} mode, the distribution of single-op times ("50.0" → p50);
 *                    for the other modes, JMH's percentiles of iteration scores (not used)
 * @param bytesPerOp  {@code gc.alloc.rate.norm} from {@code -prof gc}, or null when absent
 * @param bytesError  the half-width of the 99.9% confidence interval of {@code bytesPerOp} (NaN if
 *                    unknown)
 * @param iterations  for {@code sample} mode, each measurement iteration's histogram of single-op
 *                    times (value in {@code unit} → count), over all forks; empty for other modes
 */
record Measurement(String benchmark, Map<String, String> params, String mode, int threads, double score,
                   double error, String unit, Map<String, Double> percentiles, Double bytesPerOp,
                   double bytesError, List<TreeMap<Double, Long>> iterations) {

    /** A closed interval; NaN ends mean "unknown" (too few iterations for JMH to compute one). */
    record Interval(double lo, double hi) {
        static final Interval UNKNOWN = new Interval(Double.NaN, Double.NaN);

        boolean known() {
            return !Double.isNaN(lo) && !Double.isNaN(hi);
        }

        /** For quantities that cannot be negative: the lower end clamped at 0. */
        Interval nonNegative() {
            return known() ? new Interval(Math.max(0, lo), hi) : this;
        }

        Interval times(double f) {
            return new Interval(lo * f, hi * f);
        }

        /** {@code this ÷ other} for non-negative quantities: [lo ÷ other.hi, hi ÷ other.lo]. */
        Interval dividedBy(Interval other) {
            if (!known() || !other.known()) {
                return UNKNOWN;
            }
            double l = other.hi() <= 0 ? 0 : Math.max(0, lo) / other.hi();
            double h = other.lo() <= 0 ? Double.POSITIVE_INFINITY : hi / other.lo();
            return new Interval(l, h);
        }

        /** {@code k ÷ this} for a non-negative quantity. */
        Interval inverse(double k) {
            if (!known()) {
                return UNKNOWN;
            }
            return new Interval(hi <= 0 ? Double.POSITIVE_INFINITY : k / hi,
                    lo <= 0 ? Double.POSITIVE_INFINITY : k / lo);
        }
    }

    /** Reads every result in one JMH JSON file (an array of results). */
    static List<Measurement> parseAll(String json) {
        List<Measurement> out = new ArrayList<>();
        for (Object o : Json.array(Json.parse(json))) {
            Map<String, Object> r = Json.object(o);
            Map<String, String> params = new TreeMap<>();
            Json.object(r.get("params")).forEach((k, v) -> params.put(k, String.valueOf(v)));
            String flavour = flavourTag(r.get("jvmArgs"));
            if (flavour != null) {
                params.put(READ_SIDE_PARAM, flavour);
                params.put(JDK_PARAM, jdkMajor(r.get("jdkVersion")));
            }
            Map<String, Object> primary = Json.object(r.get("primaryMetric"));
            Map<String, Double> percentiles = new LinkedHashMap<>();
            Json.object(primary.get("scorePercentiles")).forEach((k, v) -> percentiles.put(k, Json.number(v)));
            Map<String, Object> norm = Json.object(Json.object(r.get("secondaryMetrics")).get("gc.alloc.rate.norm"));
            Double bytes = Json.number(norm.get("score"));
            Double threads = Json.number(r.get("threads"));
            List<TreeMap<Double, Long>> iterations = new ArrayList<>();
            for (Object fork : Json.array(primary.get("rawDataHistogram"))) {
                for (Object iteration : Json.array(fork)) {
                    TreeMap<Double, Long> h = new TreeMap<>();
                    for (Object pair : Json.array(iteration)) {
                        List<Object> vc = Json.array(pair);
                        h.merge(Json.number(vc.get(0)), Json.number(vc.get(1)).longValue(), Long::sum);
                    }
                    if (!h.isEmpty()) {
                        iterations.add(h);
                    }
                }
            }
            String benchmark = (String) r.get("benchmark");
            String mode = (String) r.get("mode");
            int n = threads == null ? 1 : threads.intValue();
            String unit = (String) primary.get("scoreUnit");
            Map<String, Object> secondary = Json.object(r.get("secondaryMetrics"));
            List<String> groupMethods = groupMethods(secondary, unit);
            if (groupMethods.isEmpty()) {
                out.add(new Measurement(benchmark, params, mode, n, orNaN(primary.get("score")),
                        orNaN(primary.get("scoreError")), unit, percentiles, bytes, orNaN(norm.get("scoreError")),
                        iterations));
            } else {
                // A @Group: its primary score is the mean of its methods' scores, which answers no
                // question; each method's own score is a secondary metric named after it. -prof gc
                // counts the group's bytes over all its methods' operations, so no method gets them.
                String cls = benchmark.substring(0, benchmark.lastIndexOf('.'));
                for (String method : groupMethods) {
                    Map<String, Object> m = Json.object(secondary.get(method));
                    out.add(new Measurement(cls + "." + method, params, mode, n, orNaN(m.get("score")),
                            orNaN(m.get("scoreError")), unit, Map.of(), null, Double.NaN, List.of()));
                }
            }
            secondary.forEach((name, v) -> {
                Map<String, Object> m = Json.object(v);
                if (EVENTS_UNIT.equals(m.get("scoreUnit"))) {
                    List<Double> values = new ArrayList<>();
                    Json.array(m.get("rawData"))
                            .forEach(fork -> Json.array(fork).forEach(x -> values.add(Json.number(x))));
                    out.add(new Measurement(benchmark + COUNTER_SEPARATOR + name, params, mode, n, mean(values),
                            halfInterval(values), PER_ITERATION_UNIT, Map.of(), null, Double.NaN, List.of()));
                }
            });
        }
        return out;
    }

    /** JMH's unit of an {@code @AuxCounters(EVENTS)} counter: a count per iteration. */
    static final String EVENTS_UNIT = "#";
    /** The report's unit for an EVENTS counter: its mean over the measurement iterations. */
    static final String PER_ITERATION_UNIT = "per iteration";
    /** Between a benchmark and one of its EVENTS counters, as in JMH's own output ({@code pair:ratio}). */
    static final String COUNTER_SEPARATOR = ":";

    private static final Pattern IDENTIFIER =
            Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*");

    /**
     * The methods of a {@code @Group} result: its secondary metrics named like Java methods and in
     * the primary score's unit (JMH reports each method of a group that way), when there are two or
     * more; else none. An {@code @AuxCounters(OPERATIONS)} counter on a group would look the same;
     * no benchmark of this project has one.
     */
    static List<String> groupMethods(Map<String, Object> secondary, String unit) {
        List<String> methods = new ArrayList<>();
        secondary.forEach((name, v) -> {
            if (IDENTIFIER.matcher(name).matches() && unit != null && unit.equals(Json.object(v).get("scoreUnit"))) {
                methods.add(name);
            }
        });
        return methods.size() >= 2 ? methods : List.of();
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /**
     * The half-width of the 99.9% confidence interval of the mean, from Student's t with n − 1
     * degrees of freedom, as JMH computes it for primary scores; NaN below two values.
     */
    static double halfInterval(List<Double> values) {
        int n = values.size();
        if (n < 2) {
            return Double.NaN;
        }
        double mean = mean(values);
        double ss = values.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
        double sd = Math.sqrt(ss / (n - 1));
        return new TDistribution(n - 1).inverseCumulativeProbability(1 - 0.001 / 2) * sd / Math.sqrt(n);
    }

    /** The pseudo-parameter that names the forced flavour of a flavoured run. */
    static final String READ_SIDE_PARAM = "readside";
    /** The pseudo-parameter that names the JDK of a flavoured run. */
    static final String JDK_PARAM = "jdk";

    /** The value of the report's flavour tag among a result's JVM arguments, or null. */
    static String flavourTag(Object jvmArgs) {
        if (!(jvmArgs instanceof List)) {
            return null;
        }
        String prefix = "-D" + Flavours.TAG_PROPERTY + "=";
        String found = null;
        for (Object a : (List<?>) jvmArgs) {
            String s = String.valueOf(a);
            if (s.startsWith(prefix)) {
                found = s.substring(prefix.length()); // the last one wins, as for the JVM
            }
        }
        return found;
    }

    /** "25.0.1" → "25"; "1.8.0_402" → "8". */
    static String jdkMajor(Object version) {
        String v = version == null ? "" : String.valueOf(version);
        String[] parts = v.split("[^0-9]+");
        if (parts.length == 0 || parts[0].isEmpty()) {
            return v.isEmpty() ? "?" : v;
        }
        return "1".equals(parts[0]) && parts.length > 1 ? parts[1] : parts[0];
    }

    /**
     * The flavoured run this result belongs to ("jdk=25,readside=asymmetric"), or "" for the
     * default run: results compare (ratio tables) only within one of these.
     */
    String flavourKey() {
        String rs = params.get(READ_SIDE_PARAM);
        return rs == null ? "" : JDK_PARAM + "=" + params.get(JDK_PARAM) + "," + READ_SIDE_PARAM + "=" + rs;
    }

    /** The score's 99.9% confidence interval, in {@code unit}. */
    Interval scoreInterval() {
        return Double.isNaN(error) ? Interval.UNKNOWN : new Interval(score - error, score + error);
    }

    /** The 99.9% confidence interval of {@link #aggregateOpsPerSecond()}. */
    Interval aggregateInterval() {
        if ("ss".equals(mode)) {
            return Interval.UNKNOWN;
        }
        if (isTimePerOp()) {
            return scoreInterval().inverse(threads / secondsIn(unit.substring(0, unit.length() - 3)));
        }
        if (unit != null && unit.startsWith("ops/")) {
            return scoreInterval().times(1 / secondsIn(unit.substring(4))).nonNegative();
        }
        return Interval.UNKNOWN;
    }

    /** The 99.9% confidence interval of {@link #nanosPerOp()}. */
    Interval nanosInterval() {
        if (isTimePerOp()) {
            return scoreInterval().times(secondsIn(unit.substring(0, unit.length() - 3)) * 1e9).nonNegative();
        }
        return aggregateInterval().inverse(threads * 1e9);
    }

    /** The 99.9% confidence interval of {@link #bytesPerOp()}. */
    Interval bytesInterval() {
        return bytesPerOp == null || Double.isNaN(bytesError) ? Interval.UNKNOWN
                : new Interval(bytesPerOp - bytesError, bytesPerOp + bytesError).nonNegative();
    }

    /**
     * The lowest and the highest of one SampleTime percentile ({@code q} in 0..1) over the
     * measurement iterations, in ns: how far the percentile moves from iteration to iteration.
     * Unknown for other modes, or with fewer than two iterations.
     */
    Interval percentileRangeNanos(double q) {
        if (!"sample".equals(mode) || iterations.size() < 2 || !isTimePerOp()) {
            return Interval.UNKNOWN;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (TreeMap<Double, Long> h : iterations) {
            double v = percentile(h, q);
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double ns = secondsIn(unit.substring(0, unit.length() - 3)) * 1e9;
        return new Interval(lo * ns, hi * ns);
    }

    /** The q-quantile (0..1) of a histogram of value → count: the smallest value with ≥ q of the mass. */
    static double percentile(TreeMap<Double, Long> h, double q) {
        long total = h.values().stream().mapToLong(Long::longValue).sum();
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (Map.Entry<Double, Long> e : h.entrySet()) {
            seen += e.getValue();
            if (seen >= rank) {
                return e.getKey();
            }
        }
        return h.lastKey();
    }

    private static double orNaN(Object v) {
        Double d = Json.number(v);
        return d == null ? Double.NaN : d;
    }

    /** {@code package.Class}. */
    String className() {
        return benchmark.substring(0, benchmark.lastIndexOf('.'));
    }

    /** {@code Class}, without its package. */
    String simpleClassName() {
        String c = className();
        return c.substring(c.lastIndexOf('.') + 1);
    }

    /** The method (or group) name. */
    String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** The method and its parameters, {@code crossThread[uses=4]}: one series or one table row. */
    String label() {
        return method() + paramsLabel(params);
    }

    static String paramsLabel(Map<String, String> params) {
        if (params.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("[");
        params.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append(k).append('=').append(v));
        return b.append(']').toString();
    }

    /** Whether this is an {@code @AuxCounters(EVENTS)} counter: a mean per iteration, no time or rate. */
    boolean isCounter() {
        return PER_ITERATION_UNIT.equals(unit);
    }

    /** Whether the score is a time per operation (AverageTime, SampleTime, SingleShotTime). */
    boolean isTimePerOp() {
        return unit != null && unit.endsWith("/op") && secondsIn(unit.substring(0, unit.length() - 3)) > 0;
    }

    /**
     * Operations per second summed over all benchmark threads: {@code threads / time-per-op} for
     * the time modes, the score itself for Throughput (JMH already sums it over threads); NaN for
     * SingleShotTime, whose one op per iteration says nothing about throughput.
     */
    double aggregateOpsPerSecond() {
        if ("ss".equals(mode)) {
            return Double.NaN;
        }
        if (isTimePerOp()) {
            return threads / (score * secondsIn(unit.substring(0, unit.length() - 3)));
        }
        if (unit != null && unit.startsWith("ops/")) {
            return score / secondsIn(unit.substring(4));
        }
        return Double.NaN;
    }

    /** Nanoseconds one thread spends per operation (the inverse of per-thread throughput). */
    double nanosPerOp() {
        if (isTimePerOp()) {
            return score * secondsIn(unit.substring(0, unit.length() - 3)) * 1e9;
        }
        double agg = aggregateOpsPerSecond();
        return Double.isNaN(agg) ? Double.NaN : threads / agg * 1e9;
    }

    /**
     * The median single-operation time in ns, for SampleTime results; null for the other modes,
     * whose percentiles are over iterations, not operations.
     */
    Double medianNanos() {
        return percentileNanos("50.0");
    }

    /** A SampleTime percentile ("99.0") in ns, or null. */
    Double percentileNanos(String key) {
        Double p = percentiles.get(key);
        if (!"sample".equals(mode) || p == null || !isTimePerOp()) {
            return null;
        }
        return p * secondsIn(unit.substring(0, unit.length() - 3)) * 1e9;
    }

    /** Seconds in one of JMH's time unit abbreviations; 0 if it is not one. */
    static double secondsIn(String u) {
        switch (u) {
            case "ns": return 1e-9;
            case "us": return 1e-6;
            case "ms": return 1e-3;
            case "s": return 1;
            case "min": return 60;
            case "hr": return 3600;
            case "day": return 86400;
            default: return 0;
        }
    }

}
