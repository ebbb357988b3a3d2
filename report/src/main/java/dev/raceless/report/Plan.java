package dev.raceless.report;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Defaults;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the report will run: one {@link Run} per benchmark class and thread count, in the order
 * of {@link Suites#ALL}, read from the benchmark list JMH's annotation processor compiled into
 * benchmarks.jar. It knows how many forks each run starts and so how long the whole plan takes.
 */
final class Plan {

    /**
     * One JMH invocation: some methods of one class, at one thread count.
     *
     * @param suite     how the class is reported
     * @param className the benchmark class
     * @param entries   its benchmark methods selected (by the suite, or by {@code --include})
     * @param threads   the thread count, or null to keep the class's own {@code @Threads}
     * @param include   the JMH include regex that selects exactly {@code entries}
     * @param flavour   the read-side flavour its forks are forced to, on a JDK 22+; null for the
     *                  default run (the report's own JDK, the flavour that JVM chooses)
     */
    record Run(Suites.Suite suite, String className, List<BenchmarkListEntry> entries, Integer threads,
               String include, Flavours.Flavour flavour) {

        String simpleName() {
            return className.substring(className.lastIndexOf('.') + 1);
        }

        String label() {
            return simpleName() + (threads == null ? " (own @Threads)"
                    : " @ " + threads + (threads == 1 ? " thread" : " threads"))
                    + (flavour == null ? "" : " [" + flavour.label() + "]");
        }

        /**
         * The forks' jvmArgsAppend for a flavoured run: the class's own {@code @Fork(jvmArgsAppend)}
         * (an option set here would replace it) followed by the flavour's options; null for the
         * default run, which keeps the class's annotation as it is.
         */
        List<String> jvmArgsAppend() {
            if (flavour == null) {
                return null;
            }
            List<String> args = new ArrayList<>(entries.get(0).getJvmArgsAppend().orElse(List.of()));
            args.addAll(flavour.jvmArgs());
            return args;
        }

        /** One fork per benchmark method and @Param combination (before -f). */
        int forkUnits() {
            int n = 0;
            for (BenchmarkListEntry e : entries) {
                n += combinations(e);
            }
            return n;
        }

        /** Estimated wall time: per fork, the timed iterations plus a fixed JVM overhead. */
        double estimateSeconds(Preset.Settings s) {
            double total = 0;
            for (BenchmarkListEntry e : entries) {
                boolean ss = e.getMode() == Mode.SingleShotTime;
                int wi = s.warmupIterations() != null ? s.warmupIterations() : e.getWarmupIterations()
                        .orElse(ss ? Defaults.WARMUP_ITERATIONS_SINGLESHOT : Defaults.WARMUP_ITERATIONS);
                int mi = s.measurementIterations() != null ? s.measurementIterations() : e.getMeasurementIterations()
                        .orElse(ss ? Defaults.MEASUREMENT_ITERATIONS_SINGLESHOT : Defaults.MEASUREMENT_ITERATIONS);
                double w = ss ? 0 : seconds(s.warmupTime() != null ? s.warmupTime()
                        : e.getWarmupTime().orElse(Defaults.WARMUP_TIME));
                double m = ss ? 0 : seconds(s.measurementTime() != null ? s.measurementTime()
                        : e.getMeasurementTime().orElse(Defaults.MEASUREMENT_TIME));
                int forks = (s.forks() != null ? s.forks() : e.getForks().orElse(Defaults.MEASUREMENT_FORKS))
                        + e.getWarmupForks().orElse(Defaults.WARMUP_FORKS);
                total += combinations(e) * forks * (Preset.FORK_OVERHEAD_SECONDS + wi * w + mi * m);
            }
            return total;
        }

        /** The same run as a plain JMH command line, for the report's "how to reproduce". */
        String jmhCommand(Preset.Settings s) {
            String fork = "";
            if (flavour != null) {
                fork = " -jvm " + flavour.java() + " -jvmArgsAppend '" + String.join(" ", jvmArgsAppend()) + "'";
            }
            return "java -jar jmh-benchmarks/target/benchmarks.jar '" + include + "'"
                    + (threads == null ? "" : " -t " + threads) + " " + s.flags() + " -prof gc" + fork;
        }
    }

    final List<Run> runs;
    final List<String> notes;

    private Plan(List<Run> runs, List<String> notes) {
        this.runs = runs;
        this.notes = notes;
    }

    /**
     * The plan for these includes (empty: every registered suite run by default, and every other
     * class in {@link Suites#DEFAULT_PACKAGES}) and this thread sweep, without flavoured runs.
     */
    static Plan build(List<String> includes, List<Integer> sweep) {
        return build(includes, sweep, List.of(), Preset.FULL);
    }

    /**
     * The plan, then for each flavour (a JDK 22+ set, see {@link Flavours}) the read-side classes
     * of {@link Suites#BOTH_FLAVOURS} that the includes select, again, forced to that flavour.
     * {@code smoke}: only the first raceless method of each flavoured class; {@code quick}: the
     * flavoured runs of swept classes at up to {@link Suites#FLAVOURED_PEER_MAX_THREADS} threads
     * only, the counts at which the flavours are compared, so that quick keeps its budget.
     */
    static Plan build(List<String> includes, List<Integer> sweep, List<Flavours.Flavour> flavours, Preset preset) {
        boolean smoke = preset == Preset.SMOKE;
        boolean quick = preset == Preset.QUICK;
        PrintStream devNull = new PrintStream(OutputStream.nullOutputStream());
        OutputFormat silent = OutputFormatFactory.createFormatInstance(devNull, VerboseMode.SILENT);
        BenchmarkList list = BenchmarkList.defaultList();
        SortedSet<BenchmarkListEntry> found = list.find(silent, includes.isEmpty() ? List.of(".*") : includes,
                List.of());
        Map<String, Long> methodsPerClass = list.find(silent, List.of(".*"), List.of()).stream()
                .collect(Collectors.groupingBy(BenchmarkListEntry::getUserClassQName, Collectors.counting()));

        Map<String, List<BenchmarkListEntry>> byClass = new LinkedHashMap<>();
        for (BenchmarkListEntry e : found) {
            byClass.computeIfAbsent(e.getUserClassQName(), k -> new ArrayList<>()).add(e);
        }
        // registered suites first, in their order; the rest by name
        List<String> order = new ArrayList<>();
        for (Suites.Suite s : Suites.ALL) {
            byClass.keySet().stream().filter(s::matches).sorted().forEach(order::add);
        }
        byClass.keySet().stream().filter(c -> !order.contains(c)).sorted().forEach(order::add);

        List<Run> runs = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (String cls : order) {
            Suites.Suite suite = Suites.forClass(cls);
            String simple = cls.substring(cls.lastIndexOf('.') + 1);
            if (includes.isEmpty() && !(suite.byDefault() && Pattern.matches(Suites.DEFAULT_PACKAGES, cls))) {
                notes.add(simple + ": not run by default (select it with --include " + simple + ")");
                continue;
            }
            if (!suite.byDefault() && includes.stream().noneMatch(i -> names(i, cls))) {
                notes.add(simple + ": matched by --include, but runs only when an include names it from the "
                        + "start (--include " + simple + ")");
                continue;
            }
            if (!Suites.isRegistered(cls)) {
                notes.add(simple + ": not listed in Suites; run once with its own @Threads");
            }
            List<BenchmarkListEntry> entries = byClass.get(cls);
            String include = include(cls, entries, entries.size() == methodsPerClass.get(cls));
            if (suite.sweepThreads()) {
                for (int t : sweep) {
                    runs.add(new Run(suite, cls, entries, t, include, null));
                }
            } else {
                runs.add(new Run(suite, cls, entries, null, include, null));
            }
        }
        List<Run> main = new ArrayList<>(runs);
        for (Flavours.Flavour f : flavours) {
            for (Run r : main) {
                Suites.Flavoured fl = Suites.flavoured(r.className());
                if (fl == null || quick && r.threads() != null && r.threads() > Suites.FLAVOURED_PEER_MAX_THREADS) {
                    continue;
                }
                List<String> methods = new ArrayList<>(smoke ? fl.ours().subList(0, 1) : fl.ours());
                if (!smoke && (r.threads() == null || r.threads() <= Suites.FLAVOURED_PEER_MAX_THREADS)) {
                    methods.addAll(fl.peers());
                }
                List<BenchmarkListEntry> entries = r.entries().stream()
                        .filter(e -> methods.contains(e.getUsername().substring(r.className().length() + 1)))
                        .collect(Collectors.toList());
                if (!entries.isEmpty()) {
                    runs.add(new Run(r.suite(), r.className(), entries, r.threads(),
                            include(r.className(), entries, false), f));
                }
            }
        }
        for (Suites.Suite s : Suites.ALL) {
            if (s.byDefault() && byClass.keySet().stream().noneMatch(s::matches) && includes.isEmpty()) {
                notes.add(s.classRegex().replace("\\.", ".") + ": no such benchmark class yet; skipped");
            }
        }
        return new Plan(runs, notes);
    }

    /**
     * A readable JMH include regex for these methods of the class: {@code ^pkg\.Class\.\w+$} when
     * they are all of its methods (a method, not a nested class's: those are classes of their
     * own), else {@code ^pkg\.Class\.(a|b)$}. Method names are Java identifiers, so only the
     * class name needs escaping.
     */
    static String include(String cls, List<BenchmarkListEntry> entries, boolean allOfThem) {
        String prefix = "^" + cls.replace(".", "\\.").replace("$", "\\$") + "\\.";
        if (allOfThem) {
            return prefix + "\\w+$";
        }
        return prefix + "(" + entries.stream().map(e -> e.getUsername().substring(cls.length() + 1)).distinct()
                .collect(Collectors.joining("|")) + ")$";
    }

    /**
     * Whether an include names a class deliberately: it matches from the start of the simple or the
     * full class name. So {@code --include UsePairBenchmark} does not pull in a class left out by
     * default named XUsePairBenchmark, while {@code --include XUse} does.
     */
    static boolean names(String include, String cls) {
        String simple = cls.substring(cls.lastIndexOf('.') + 1);
        Pattern p = Pattern.compile(include);
        return p.matcher(simple).lookingAt() || p.matcher(cls).lookingAt();
    }

    int forkUnits() {
        return runs.stream().mapToInt(Run::forkUnits).sum();
    }

    double estimateSeconds(Preset.Settings s) {
        return runs.stream().mapToDouble(r -> r.estimateSeconds(s)).sum();
    }

    static int combinations(BenchmarkListEntry e) {
        int n = 1;
        if (e.getParams().hasValue()) {
            for (String[] values : e.getParams().get().values()) {
                n *= Math.max(1, values.length);
            }
        }
        return n;
    }

    static double seconds(TimeValue t) {
        return t.convertTo(java.util.concurrent.TimeUnit.MILLISECONDS) / 1000.0;
    }
}
