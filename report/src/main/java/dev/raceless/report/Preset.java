package dev.raceless.report;

import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * How long the report measures: {@code smoke} (CI: proves every benchmark and the report still
 * run), {@code quick} (the default: the whole suite in under ten minutes on two cores) and
 * {@code full} (each class's own {@code @Warmup}/{@code @Measurement}, three forks).
 *
 * <p><b>The quick budget.</b> A fork costs its timed iterations plus a JVM start, JIT warm-up of
 * the harness and {@code -prof gc} bookkeeping ({@link #FORK_OVERHEAD_SECONDS}). Quick runs 2
 * warmup and 3 measurement iterations per fork and one fork per benchmark; it picks the longest
 * iteration, between {@link #QUICK_MIN_ITERATION_MS} and {@link #QUICK_MAX_ITERATION_MS}, that
 * fits all planned forks in {@link #QUICK_BUDGET_SECONDS}. So the suite can grow and quick still
 * ends on time; it measures less per benchmark instead, and the report prints the settings used.
 * At the shortest iteration the plan may exceed the budget: the estimate takes the pessimistic
 * overhead, and on an idle two-core machine a fork costs about 1 s beyond its iterations.
 * The budget covers the flavoured runs too (the read-side benchmarks again on a JDK 22+, forced
 * FENCED and forced ASYMMETRIC, at 1 and 2 threads: about 60 forks): eight minutes, not ten,
 * because the build comes on top and on a loaded two-core machine a fork's overhead was measured
 * at about 4 s instead of 2.5 s.
 */
enum Preset {
    SMOKE("one 200 ms iteration, no warmup, one fork, 2 threads only: proves it runs, measures nothing"),
    QUICK("2 warmup + 3 measurement iterations, one fork, iteration length fitted to an 8-minute budget"),
    FULL("each class's own @Warmup/@Measurement, three forks");

    /** Wall time a fork costs beyond its iterations (JVM start, harness, -prof gc), a guess that
     *  the progress line refines from the forks already done. */
    static final double FORK_OVERHEAD_SECONDS = 2.5;
    static final double QUICK_BUDGET_SECONDS = 8 * 60;
    static final long QUICK_MIN_ITERATION_MS = 200;
    static final long QUICK_MAX_ITERATION_MS = 1000;
    static final int QUICK_WARMUP_ITERATIONS = 2;
    static final int QUICK_MEASUREMENT_ITERATIONS = 3;
    static final int FULL_FORKS = 3;

    final String description;

    Preset(String description) {
        this.description = description;
    }

    static Preset parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * JMH settings; a null field is left to the class's annotations.
     *
     * @param warmupIterations      {@code -wi}
     * @param warmupTime            {@code -w}
     * @param measurementIterations {@code -i}
     * @param measurementTime       {@code -r}
     * @param forks                 {@code -f}
     */
    record Settings(Integer warmupIterations, TimeValue warmupTime, Integer measurementIterations,
                    TimeValue measurementTime, Integer forks) {

        void applyTo(ChainedOptionsBuilder b) {
            if (warmupIterations != null) {
                b.warmupIterations(warmupIterations);
            }
            if (warmupTime != null) {
                b.warmupTime(warmupTime);
            }
            if (measurementIterations != null) {
                b.measurementIterations(measurementIterations);
            }
            if (measurementTime != null) {
                b.measurementTime(measurementTime);
            }
            if (forks != null) {
                b.forks(forks);
            }
        }

        /** The same settings as JMH command-line flags ("-wi 2 -w 500ms …"). */
        String flags() {
            List<String> f = new ArrayList<>();
            if (warmupIterations != null) {
                f.add("-wi " + warmupIterations);
            }
            if (warmupTime != null && warmupIterations != null && warmupIterations > 0) {
                f.add("-w " + flag(warmupTime));
            }
            if (measurementIterations != null) {
                f.add("-i " + measurementIterations);
            }
            if (measurementTime != null) {
                f.add("-r " + flag(measurementTime));
            }
            if (forks != null) {
                f.add("-f " + forks);
            }
            return String.join(" ", f);
        }

        private static String flag(TimeValue t) {
            return t.getTime() + (t.getTimeUnit() == TimeUnit.MILLISECONDS ? "ms" : "s");
        }
    }

    /**
     * The settings for a run of {@code forks} forks; for quick, the iteration length that fits the
     * budget. Forks are counted with one fork per benchmark and parameter combination.
     */
    Settings settings(int forks) {
        switch (this) {
            case SMOKE:
                return new Settings(0, null, 1, TimeValue.milliseconds(200), 1);
            case QUICK: {
                int iterations = QUICK_WARMUP_ITERATIONS + QUICK_MEASUREMENT_ITERATIONS;
                double free = QUICK_BUDGET_SECONDS - forks * FORK_OVERHEAD_SECONDS;
                long ms = (long) (free * 1000 / Math.max(1, forks * iterations)) / 100 * 100;
                ms = Math.max(QUICK_MIN_ITERATION_MS, Math.min(QUICK_MAX_ITERATION_MS, ms));
                TimeValue t = ms % 1000 == 0 ? TimeValue.seconds(ms / 1000) : TimeValue.milliseconds(ms);
                return new Settings(QUICK_WARMUP_ITERATIONS, t, QUICK_MEASUREMENT_ITERATIONS, t, 1);
            }
            case FULL:
                return new Settings(null, null, null, null, FULL_FORKS);
            default:
                throw new AssertionError(this);
        }
    }

    /**
     * The thread counts a swept class runs at: powers of two from 1 to max(8, 2 × CPUs) (and that
     * top itself when it is not a power of two). At least 8, so every report shows 1, 2, 4
     * and 8 threads; past the CPU count the threads oversubscribe, which the report says. Smoke
     * runs 2 threads only.
     */
    List<Integer> threadCounts(int cpus) {
        if (this == SMOKE) {
            return List.of(2);
        }
        int top = Math.max(8, 2 * cpus);
        List<Integer> t = new ArrayList<>();
        for (int n = 1; n <= top; n *= 2) {
            t.add(n);
        }
        if (t.get(t.size() - 1) != top) {
            t.add(top);
        }
        return t;
    }
}
