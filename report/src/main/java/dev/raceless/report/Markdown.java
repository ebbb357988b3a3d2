package dev.raceless.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Writes the report, {@code README.md} and its charts, from one run's results, its facts and
 * the Footprint table. Order: what the report compares, the machine and the command, every
 * raceless-to-peer comparison at the two lowest thread counts in one table, one section per
 * scenario (benchmark class), the footprint, the files and how to reproduce.
 *
 * <p>The report compares and does not grade: each scenario shows raceless and each peer with
 * JMH's 99.9% interval, whether each peer is correct for the scenario's job ({@link Suites}), the
 * ratio of raceless to each peer with the interval of the quotient, and a chart.
 */
final class Markdown {

    private final Path dir;
    private final RunInfo info;
    private final List<Measurement> results;
    private final String footprint;
    private final List<FootprintRun.Row> footprintRows;
    private final StringBuilder md = new StringBuilder();
    private final List<String> chartFailures = new ArrayList<>();
    private final Charts charts;

    private Markdown(Path dir, RunInfo info, List<Measurement> results, String footprint) {
        this.dir = dir;
        this.info = info;
        this.results = results;
        this.footprint = footprint;
        this.footprintRows = FootprintRun.rows(footprint);
        this.charts = new Charts(dir);
    }

    /** Writes README.md, charts.md and the PNG charts into {@code dir}. */
    static void write(Path dir, RunInfo info, List<Measurement> results, String footprint) throws IOException {
        Markdown m = new Markdown(dir, info, results, footprint);
        m.render();
        Files.writeString(dir.resolve("README.md"), m.md.toString(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(Charts.DESCRIPTION_FILE), m.charts.description(), StandardCharsets.UTF_8);
    }

    private void render() {
        int cpus = info.cpus();
        TreeSet<Integer> threads = results.stream().map(Measurement::threads)
                .collect(Collectors.toCollection(TreeSet::new));

        md.append("# raceless benchmark report: ").append(info.get("date")).append(", ")
                .append(info.get("cpu.model")).append(", JDK ").append(info.get("jdk.version")).append("\n\n");
        intro();
        if ("smoke".equals(info.get("preset"))) {
            md.append("> **Smoke preset**: one 200 ms iteration per benchmark, without warmup. It proves the "
                    + "benchmarks and this report still run; its numbers are not measurements.\n\n");
        }
        machine(threads, cpus);
        glance();

        for (Map.Entry<String, List<Measurement>> e : byClass().entrySet()) {
            suite(e.getKey(), e.getValue(), cpus);
        }
        footprintSection();
        files();
        if (!chartFailures.isEmpty()) {
            md.append("\nCharts not drawn: ").append(String.join("; ", chartFailures)).append(".\n");
        }
    }

    // ---- the top of the report ------------------------------------------------------------

    private void intro() {
        md.append("raceless against its peers on this machine (").append(info.cpus()).append(" CPUs, ")
                .append(info.get("jdk.vendor")).append(' ').append(info.get("jdk.version")).append(", ")
                .append(info.get("preset")).append(" preset), one section per scenario. Each section gives every "
                        + "method's score with its 99.9% confidence interval, whether each peer is correct for "
                        + "the scenario's job (a faster peer that is not correct is no alternative), the ratio of "
                        + "raceless to each peer with the interval of the quotient, and a chart.\n\n");
        String failures = info.get("failures");
        if (!failures.isEmpty() && !"0".equals(failures)) {
            md.append("> **").append(failures).append(" benchmark(s) failed** during the run; their rows are "
                    + "missing. The console output of the run shows why.\n\n");
        }
    }

    private void machine(TreeSet<Integer> threads, int cpus) {
        md.append("## Machine and run\n\n| | |\n|---|---|\n");
        row("CPU", info.get("cpu.model") + ", " + cpus + " CPUs (availableProcessors)");
        row("memory", RunInfo.gib(Long.parseLong(info.get("memory.bytes").isEmpty() ? "0" : info.get("memory.bytes"))));
        row("OS", info.get("os"));
        row("JDK", info.get("jdk.vendor") + " " + info.get("jdk.runtime") + ", " + info.get("jdk.vm"));
        if (!info.get("readside.default").isEmpty()) {
            row("read side, default run", info.get("readside.default") + " (as every row below: ReadSide.active() "
                    + "and reason() in a JVM with the forks' java and options)");
            for (String id : new String[] {"fenced", "asymmetric"}) {
                String v = info.get("readside." + id);
                if (!v.isEmpty()) {
                    row("read side, `readside=" + id + "` rows", v);
                }
            }
        }
        row("JMH", info.get("jmh.version") + ", with -prof gc (B/op)");
        row("date", info.get("date"));
        row("command", "`" + info.get("command") + "`");
        row("preset", info.get("preset") + ": " + info.get("preset.description"));
        row("JMH settings", "`" + info.get("settings") + "` (on top of each class's annotations)");
        row("thread counts", info.get("threads") + " for the classes swept over threads; the others run at their "
                + "own @Threads");
        if (!info.get("elapsed.seconds").isEmpty()) {
            row("wall time", Render.clock(Double.parseDouble(info.get("elapsed.seconds"))) + " of benchmarks (planned "
                    + Render.clock(Double.parseDouble(info.get("planned.seconds"))) + ")");
        }
        md.append('\n');
        if (!threads.isEmpty() && threads.last() > cpus) {
            String over = threads.tailSet(cpus, false).stream().map(String::valueOf)
                    .collect(Collectors.joining(" and "));
            md.append("**Oversubscription.** This machine has ").append(cpus).append(" CPUs, so at ").append(over)
                    .append(" threads the benchmark threads outnumber the CPUs: those columns measure the primitives "
                            + "while threads are descheduled mid-operation (a take without its drop, a section "
                            + "left open), not more parallelism. On a machine with 8 or more CPUs the same "
                            + "command measures real parallelism.\n\n");
        }
        md.append("Scores are JMH's mean with the half-width of its 99.9% confidence interval (±); with few "
                + "iterations the interval is wide, so read ratios within one table, not across machines or runs.\n\n");
    }

    // ---- one benchmark class --------------------------------------------------------------

    /** Results grouped by class: registered suites in their order, the rest by name. */
    private Map<String, List<Measurement>> byClass() {
        Map<String, List<Measurement>> all = new LinkedHashMap<>();
        for (Measurement m : results) {
            all.computeIfAbsent(m.className(), k -> new ArrayList<>()).add(m);
        }
        Map<String, List<Measurement>> ordered = new LinkedHashMap<>();
        for (Suites.Suite s : Suites.ALL) {
            all.keySet().stream().filter(s::matches).sorted().forEach(c -> ordered.put(c, all.get(c)));
        }
        all.keySet().stream().sorted().forEach(c -> ordered.putIfAbsent(c, all.get(c)));
        return ordered;
    }

    private void suite(String cls, List<Measurement> ms, int cpus) {
        Suites.Suite suite = Suites.forClass(cls);
        String simple = cls.substring(cls.lastIndexOf('.') + 1);
        md.append("## ").append(suite.title()).append("\n\n`").append(cls).append('`');
        md.append(Suites.isRegistered(cls) ? "" : " (not listed in Suites: run once at its own @Threads)");
        md.append(suite.question() == null ? "\n\n" : ": " + suite.question() + "\n\n");

        Map<String, List<Measurement>> byLabel = byLabel(suite, ms);
        List<String> labels = new ArrayList<>(byLabel.keySet());
        TreeSet<Integer> threads = ms.stream().map(Measurement::threads).collect(Collectors.toCollection(TreeSet::new));
        // swept: one table column per thread count. Classes run once at their own @Threads (which
        // may differ per method) get per-result tables instead, throughput apart from latency.
        boolean swept = suite.sweepThreads() || (!Suites.isRegistered(cls) && threads.size() > 1);

        Suites.Chart kind = suite.chart();
        if (kind == Suites.Chart.AUTO) {
            kind = swept ? Suites.Chart.THROUGHPUT_VS_THREADS : Suites.Chart.LATENCY;
        }
        if (ms.stream().anyMatch(m -> !m.flavourKey().isEmpty())) {
            md.append("Rows marked `[jdk=N,readside=…]` ran again on JDK N, forced to that read-side flavour (the "
                    + "methods listed in the report's Suites.BOTH_FLAVOURS); unmarked rows are the default run")
                    .append(info.get("readside.default").isEmpty() ? "" : " (" + firstWord(info.get("readside.default"))
                            + " on JDK " + info.get("jdk.version") + ")")
                    .append(". Ratios compare rows of one run only.\n\n");
        }
        chart(kind, simple, suite, labels, byLabel, ms, cpus);
        if (suite.hasPeers()) {
            md.append("Column \"correct\": whether the method does this scenario's job without a race (raceless "
                    + "methods do; for each peer, yes or no and why). A faster peer that is not correct is no "
                    + "alternative.\n\n");
        }

        if (swept) {
            String unit = commonUnit(ms);
            boolean times = ms.stream().allMatch(Measurement::isTimePerOp);
            boolean rates = ms.stream().noneMatch(Measurement::isTimePerOp);
            md.append(times ? "Time per operation per thread (" : rates ? "Throughput as JMH measured it, all threads ("
                    : "Score as JMH measured it (").append(unit == null ? "unit in each cell" : unit)
                    .append(", ± 99.9% CI), by thread count:\n\n");
            matrix(labels, byLabel, threads, suite.hasPeers() ? suite::correctness : null,
                    m -> fmt(m.score()) + (Double.isNaN(m.error()) ? "" : " ± " + fmt(m.error()))
                    + (unit == null ? " " + m.unit() : ""));
            md.append("Aggregate throughput, M ops/s over all threads (threads ÷ time per op; higher is better):\n\n");
            matrix(labels, byLabel, threads, null, m -> fmt(m.aggregateOpsPerSecond() / 1e6));
        } else {
            flat(labels, byLabel);
        }
        ratios(suite, labels, byLabel, threads);
        if (swept && ms.stream().anyMatch(m -> m.bytesPerOp() != null)) {
            md.append("Allocation, B/op (gc.alloc.rate.norm; 0 means none: a real allocation is ≥ 16 B):\n\n");
            matrix(labels, byLabel, threads, null, m -> m.bytesPerOp() == null ? "" : String.format(Locale.ROOT,
                    "%.3f", m.bytesPerOp()));
        }
    }

    /** Rows by label: raceless methods first, in the suite's order; peers after them, by name. */
    private static Map<String, List<Measurement>> byLabel(Suites.Suite suite, List<Measurement> ms) {
        Map<String, List<Measurement>> byLabel = new LinkedHashMap<>();
        ms.stream().sorted(Comparator.comparing((Measurement m) -> {
            int i = suite.raceless().indexOf(m.method());
            return i < 0 ? Integer.MAX_VALUE : i;
        }).thenComparing(Measurement::label).thenComparingInt(Measurement::threads))
                .forEach(m -> byLabel.computeIfAbsent(m.label(), k -> new ArrayList<>()).add(m));
        return byLabel;
    }

    /**
     * The comparisons in one table: for every swept scenario with peers, each raceless method
     * against each peer of the same run at the two lowest thread counts, with both times, the
     * ratio and its interval, and the peer's correctness.
     */
    private void glance() {
        List<String[]> pairs = new ArrayList<>(); // class, raceless label, peer label
        TreeSet<Integer> all = new TreeSet<>();
        Map<String, Map<String, List<Measurement>>> classes = new LinkedHashMap<>();
        for (Map.Entry<String, List<Measurement>> e : byClass().entrySet()) {
            Suites.Suite suite = Suites.forClass(e.getKey());
            if (!suite.sweepThreads() || !suite.hasPeers()) {
                continue;
            }
            Map<String, List<Measurement>> byLabel = byLabel(suite, e.getValue());
            classes.put(e.getKey(), byLabel);
            for (String r : byLabel.keySet()) {
                for (String p : byLabel.keySet()) {
                    Measurement r0 = byLabel.get(r).get(0);
                    Measurement p0 = byLabel.get(p).get(0);
                    if (suite.isRaceless(r0.method()) && suite.isPeer(p0.method())
                            && r0.flavourKey().equals(p0.flavourKey())) {
                        pairs.add(new String[] {e.getKey(), r, p});
                        byLabel.get(r).forEach(m -> all.add(m.threads()));
                    }
                }
            }
        }
        if (pairs.isEmpty()) {
            return;
        }
        List<Integer> threads = all.stream().limit(2).collect(Collectors.toList());
        md.append("## At a glance\n\nEach raceless method against each peer of the same run, at ")
                .append(threads.stream().map(String::valueOf).collect(Collectors.joining(" and ")))
                .append(threads.size() == 1 && threads.get(0) == 1 ? " thread" : " threads")
                .append(": the two times per operation per thread, raceless first, and their quotient with its "
                        + "99.9% interval (below 1 raceless is faster). The sections below have every thread "
                        + "count.\n\n| scenario | raceless ÷ peer | peer correct |");
        threads.forEach(t -> md.append(' ').append(t).append(t == 1 ? " thread |" : " threads |"));
        md.append("\n|---|---|---|");
        threads.forEach(t -> md.append("---:|"));
        md.append('\n');
        for (String[] pair : pairs) {
            Suites.Suite suite = Suites.forClass(pair[0]);
            Map<String, List<Measurement>> byLabel = classes.get(pair[0]);
            String c = suite.correctness(byLabel.get(pair[2]).get(0).method());
            md.append("| ").append(pair[0].substring(pair[0].lastIndexOf('.') + 1)).append(" | ").append(pair[1])
                    .append(" ÷ ").append(pair[2]).append(" | ").append(c == null ? "not stated" : c).append(" |");
            for (int t : threads) {
                Measurement a = at(byLabel.get(pair[1]), t);
                Measurement b = at(byLabel.get(pair[2]), t);
                md.append(' ');
                if (a != null && b != null) {
                    md.append(fmt(a.nanosPerOp())).append(" ÷ ").append(fmt(b.nanosPerOp())).append(" ns = ")
                            .append(ratio(a.nanosPerOp() / b.nanosPerOp(),
                                    a.nanosInterval().dividedBy(b.nanosInterval())));
                }
                md.append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private void chart(Suites.Chart kind, String simple, Suites.Suite suite, List<String> labels,
                       Map<String, List<Measurement>> byLabel, List<Measurement> ms, int cpus) {
        try {
            List<String> files = new ArrayList<>();
            if (kind == Suites.Chart.THROUGHPUT_VS_THREADS) {
                files.add(charts.throughput(simple + "-throughput.png", suite, labels, byLabel, cpus));
            } else if (kind == Suites.Chart.LATENCY) {
                List<Measurement> ordered = labels.stream().flatMap(l -> byLabel.get(l).stream())
                        .collect(Collectors.toList());
                String t = suite.title();
                files.add(charts.throughputPoints(simple + "-throughput.png", t.contains("latency") ? t
                        : t + " (throughput)", ordered));
                files.add(charts.latency(simple + "-latency.png", t.contains("latency") ? t : t + " (latency)",
                        ordered));
            }
            for (String file : files) {
                if (file != null) {
                    md.append("![").append(suite.title()).append("](").append(file).append(")\n\n");
                }
            }
        } catch (Exception | LinkageError e) { // a chart is not worth losing the tables for
            chartFailures.add(simple + ": " + e);
        }
    }

    /**
     * Rows = benchmarks, columns = thread counts; with {@code correct} (method → correctness), a
     * "correct" column after the benchmark's name.
     */
    private void matrix(List<String> labels, Map<String, List<Measurement>> byLabel, TreeSet<Integer> threads,
                        Function<String, String> correct, Function<Measurement, String> cell) {
        md.append("| benchmark |").append(correct == null ? "" : " correct |");
        threads.forEach(t -> md.append(' ').append(t).append(t == 1 ? " thread |" : " threads |"));
        md.append("\n|---|").append(correct == null ? "" : "---|");
        threads.forEach(t -> md.append("---:|"));
        md.append('\n');
        for (String label : labels) {
            md.append("| ").append(label).append(" |");
            if (correct != null) {
                String c = correct.apply(byLabel.get(label).get(0).method());
                md.append(' ').append(c == null ? "not stated" : c).append(" |");
            }
            for (int t : threads) {
                Measurement m = at(byLabel.get(label), t);
                md.append(' ').append(m == null ? "" : cell.apply(m)).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    /**
     * One row per result, for classes run once at their own @Threads: a throughput table for the
     * Throughput results and a latency table for the time results, each when there are any.
     */
    private void flat(List<String> labels, Map<String, List<Measurement>> byLabel) {
        List<Measurement> all = labels.stream().flatMap(l -> byLabel.get(l).stream()).collect(Collectors.toList());
        List<Measurement> counters = all.stream().filter(Measurement::isCounter).collect(Collectors.toList());
        List<Measurement> rates = all.stream().filter(m -> !m.isTimePerOp() && !m.isCounter())
                .collect(Collectors.toList());
        List<Measurement> times = all.stream().filter(Measurement::isTimePerOp).collect(Collectors.toList());
        if (!rates.isEmpty()) {
            md.append("Throughput (all threads; ± 99.9% CI; higher is better):\n\n")
                    .append("| benchmark | threads | mode | score | M ops/s, all threads | B/op |\n")
                    .append("|---|---:|---|---:|---:|---:|\n");
            for (Measurement m : rates) {
                md.append("| ").append(m.label()).append(" | ").append(m.threads()).append(" | ").append(m.mode())
                        .append(" | ").append(fmt(m.score()))
                        .append(Double.isNaN(m.error()) ? "" : " ± " + fmt(m.error())).append(' ').append(m.unit())
                        .append(" | ").append(fmt(m.aggregateOpsPerSecond() / 1e6)).append(" | ")
                        .append(bytes(m)).append(" |\n");
            }
            md.append('\n');
        }
        if (!counters.isEmpty()) {
            md.append("Counters (`@AuxCounters(EVENTS)`: the mean of each measurement iteration's value, ± 99.9% "
                    + "CI over the iterations):\n\n| counter | threads | mean per iteration |\n|---|---:|---:|\n");
            for (Measurement m : counters) {
                md.append("| ").append(m.label()).append(" | ").append(m.threads()).append(" | ")
                        .append(fmt(m.score())).append(Double.isNaN(m.error()) ? "" : " ± " + fmt(m.error()))
                        .append(" |\n");
            }
            md.append('\n');
        }
        if (!times.isEmpty()) {
            boolean sampled = times.stream().anyMatch(m -> m.medianNanos() != null);
            md.append("Time per operation (± 99.9% CI; lower is better):\n\n")
                    .append("| benchmark | threads | mode | score | ")
                    .append(sampled ? "p50 | p90 | p99 | p99.9 | " : "").append("B/op |\n|---|---:|---|---:|")
                    .append(sampled ? "---:|---:|---:|---:|" : "").append("---:|\n");
            for (Measurement m : times) {
                md.append("| ").append(m.label()).append(" | ").append(m.threads()).append(" | ").append(m.mode())
                        .append(" | ").append(fmt(m.score()))
                        .append(Double.isNaN(m.error()) ? "" : " ± " + fmt(m.error())).append(' ').append(m.unit())
                        .append(" | ");
                if (sampled) {
                    for (String k : new String[] {"50.0", "90.0", "99.0", "99.9"}) {
                        Double ns = m.percentileNanos(k);
                        md.append(ns == null ? "" : duration(ns)).append(" | ");
                    }
                }
                md.append(bytes(m)).append(" |\n");
            }
            md.append('\n');
        }
    }

    private static String bytes(Measurement m) {
        return m.bytesPerOp() == null ? "" : String.format(Locale.ROOT, "%.3f", m.bytesPerOp());
    }

    /**
     * Each raceless method against each peer of its class, at each thread count both ran at: the
     * quotient of the two times per operation with the interval of the quotient, and the peer's
     * correctness. Rows of different flavoured runs are not divided (another JVM, another flavour).
     */
    private void ratios(Suites.Suite suite, List<String> labels, Map<String, List<Measurement>> byLabel,
                        TreeSet<Integer> threads) {
        List<String> ours = labels.stream().filter(l -> suite.isRaceless(byLabel.get(l).get(0).method()))
                .collect(Collectors.toList());
        List<String> peers = labels.stream().filter(l -> suite.isPeer(byLabel.get(l).get(0).method()))
                .collect(Collectors.toList());
        if (ours.isEmpty() || peers.isEmpty()) {
            return;
        }
        md.append("Ratios: time per op of raceless ÷ time per op of each peer at the same thread count, with the "
                + "99.9% interval of the quotient (from the two scores' intervals); below 1 raceless is faster "
                + "(0.25× is 4 times faster):\n\n");
        md.append("| raceless ÷ peer |").append(suite.hasPeers() ? " peer correct |" : "");
        threads.forEach(t -> md.append(' ').append(t).append(t == 1 ? " thread |" : " threads |"));
        md.append("\n|---|").append(suite.hasPeers() ? "---|" : "");
        threads.forEach(t -> md.append("---:|"));
        md.append('\n');
        for (String r : ours) {
            for (String p : peers) {
                if (!byLabel.get(r).get(0).flavourKey().equals(byLabel.get(p).get(0).flavourKey())) {
                    continue;
                }
                md.append("| ").append(r).append(" ÷ ").append(p).append(" |");
                if (suite.hasPeers()) {
                    String c = suite.correctness(byLabel.get(p).get(0).method());
                    md.append(' ').append(c == null ? "not stated" : c).append(" |");
                }
                for (int t : threads) {
                    Measurement a = at(byLabel.get(r), t);
                    Measurement b = at(byLabel.get(p), t);
                    double q = a == null || b == null ? Double.NaN : a.nanosPerOp() / b.nanosPerOp();
                    md.append(' ')
                            .append(Double.isNaN(q) ? "" : ratio(q, a.nanosInterval().dividedBy(b.nanosInterval())))
                            .append(" |");
                }
                md.append('\n');
            }
        }
        md.append('\n');
    }

    // ---- the end of the report ------------------------------------------------------------

    private void footprintSection() {
        md.append("## Footprint: bytes per counter\n\n");
        if (footprint == null) {
            md.append("Not measured (dev.raceless.bench.refcount.Footprint is absent or failed).\n\n");
            return;
        }
        try {
            String file = charts.footprint("footprint.png", footprintRows);
            if (file != null) {
                md.append("![Heap bytes per counter](").append(file).append(")\n\n");
            }
        } catch (Exception | LinkageError e) {
            chartFailures.add("footprint: " + e);
        }
        md.append(FootprintRun.title(footprint)).append(", from `java -cp jmh-benchmarks/target/benchmarks.jar "
                + "dev.raceless.bench.refcount.Footprint` (the whole output: `footprint.md`):\n\n")
                .append("| counter | what is counted | bytes |\n|---|---|---:|\n");
        for (FootprintRun.Row r : footprintRows) {
            md.append("| ").append(r.counter()).append(" | ").append(r.what()).append(" | ").append(r.bytes())
                    .append(" |\n");
        }
        md.append('\n');
    }

    private void files() {
        md.append("## Files and how to reproduce\n\n");
        md.append("- `jmh-result.json`: every JMH result of this run (one JSON array; it loads in "
                + "https://jmh.morethan.io).\n");
        md.append("- `run.properties`: the machine and run facts above; `footprint.md`: the Footprint output; "
                + "`" + Charts.DESCRIPTION_FILE + "`: every chart's points and intervals in numbers.\n");
        md.append("- Redraw this report from those files (after changing Suites, say): "
                + "`./report.sh --render <this directory>`.\n\n");
        md.append("The whole run: `").append(info.get("command"))
                .append("`. Each part alone (JMH's own command line):\n\n```\n");
        md.append(info.get("jmh.commands").strip()).append("\n```\n");
    }

    // ---- helpers --------------------------------------------------------------------------

    private static String firstWord(String s) {
        int sp = s.indexOf(' ');
        return sp < 0 ? s : s.substring(0, sp);
    }

    private void row(String k, String v) {
        md.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }

    private static Measurement at(List<Measurement> ms, int threads) {
        return ms.stream().filter(m -> m.threads() == threads).findFirst().orElse(null);
    }

    private static String commonUnit(List<Measurement> ms) {
        List<String> units = ms.stream().map(Measurement::unit).distinct().collect(Collectors.toList());
        return units.size() == 1 ? units.get(0) : null;
    }

    /** "412 ns", "20.1 µs", "1.25 ms". */
    static String duration(double nanos) {
        if (nanos < 1_000) {
            return String.format(Locale.ROOT, "%.0f ns", nanos);
        }
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
        }
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    /** A ratio with its interval: "0.76× (0.61–0.95)", or "0.76× (no interval)". */
    static String ratio(double r, Measurement.Interval i) {
        String s = String.format(Locale.ROOT, "%.2f×", r);
        if (!i.known()) {
            return s + " (no interval)";
        }
        String hi = Double.isInfinite(i.hi()) ? "∞" : String.format(Locale.ROOT, "%.2f", i.hi());
        return s + String.format(Locale.ROOT, " (%.2f–", i.lo()) + hi + ")";
    }

    /** Three significant digits or so, no exponent. */
    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
