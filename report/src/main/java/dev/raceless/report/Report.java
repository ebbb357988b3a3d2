package dev.raceless.report;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The benchmark report: runs a preset of the JMH suite against the peers and writes
 * {@code results/<date>-<cpu>-<jdk>/} (or {@code --out DIR}) with the raw JSON, a Markdown report
 * (machine, command, and per scenario raceless against each peer: scores and ratios with their
 * 99.9% intervals, whether each peer is correct for the job) and PNG charts.
 *
 * <pre>
 *   ./report.sh                          # quick preset: the whole suite in under ten minutes
 *   ./report.sh --preset full            # each class's own iterations, three forks
 *   ./report.sh --preset smoke --out /tmp/r   # CI: one short iteration, 2 threads
 *   ./report.sh --include UsePairBenchmark --include 'ShutdownLatency.*inline'
 * </pre>
 *
 * <p>It drives JMH through its Java API, one class at one thread count per {@link Runner} call,
 * so it can say which benchmark runs, how many are left and about how long that takes. Every
 * call adds {@code -prof gc} and keeps each class's {@code @Fork(jvmArgsAppend = ...)}: options
 * set here never replace the forked JVM's arguments.
 *
 * <p><b>Both read-side flavours.</b> When a JDK 22+ is found ({@code --jdk22 PATH}, or see
 * {@link Flavours}), the read-side benchmarks of {@link Suites#BOTH_FLAVOURS} run again on it,
 * forced FENCED and forced ASYMMETRIC; the machine table states the flavour each kind of fork
 * had, asked of a probe JVM with the same java and options.
 */
public final class Report {
    /* Implementation notes: the report is two steps with a file boundary between them. Measure:
     * plan (Plan) → run each part through JMH (Progress prints) → merge the per-run JSON into
     * jmh-result.json, run Footprint, store run.properties. Render: read those three files →
     * README.md + charts (Markdown, Charts). --render repeats only the second step, so tables
     * and layout can change without measuring again, and a report always shows the facts of the
     * machine that measured it.
     *
     * The two steps run in two JVMs when report.sh sets raceless.report.renderClasspath: the JVM
     * that measures has benchmarks.jar and this module's classes only, so the forks JMH starts
     * (which inherit its class path) never see XChart; the render JVM has XChart and no JMH. */

    /** Git-ignored (see .gitignore): a run leaves the work tree clean. To commit a report, pass
     *  {@code --out docs/results}. */
    static final String DEFAULT_OUT = "results";
    /** The class path of the render JVM (report.sh sets it); unset: render in this JVM. */
    static final String RENDER_CLASSPATH = "raceless.report.renderClasspath";
    static final String RESULT_JSON = Render.RESULT_JSON;
    static final String RUN_PROPERTIES = Render.RUN_PROPERTIES;
    static final String FOOTPRINT_MD = Render.FOOTPRINT_MD;
    /** How long to wait for another JMH run on this machine to release JMH's lock. */
    static final long LOCK_WAIT_SECONDS = 30 * 60;

    private Report() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Args a;
        try {
            a = Args.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("report: " + e.getMessage() + "\n");
            System.err.println(Args.USAGE);
            System.exit(2);
            return;
        }
        if (a.help) {
            System.out.println(Args.USAGE);
            return;
        }
        if (a.render != null) {
            Render.redraw(Paths.get(a.render));
            return;
        }
        System.exit(measure(a, args));
    }

    private static int measure(Args a, String[] args) throws IOException, InterruptedException {
        RunInfo info = RunInfo.ofThisMachine();
        List<Integer> sweep = a.threads != null ? a.threads : a.preset.threadCounts(info.cpus());
        List<String> flavourNotes = new ArrayList<>();
        List<Flavours.Flavour> flavours;
        try {
            flavours = flavours(a, info, flavourNotes);
        } catch (IllegalArgumentException e) {
            System.err.println("report: " + e.getMessage());
            return 2;
        }
        Plan plan = Plan.build(a.includes, sweep, flavours, a.preset);
        plan.notes.addAll(flavourNotes);
        if (plan.runs.isEmpty()) {
            System.err.println("report: no benchmark matches " + (a.includes.isEmpty() ? "the default suites"
                    : String.join(", ", a.includes))
                    + ". List them with: java -jar jmh-benchmarks/target/benchmarks.jar -l");
            return 2;
        }
        Preset.Settings settings = a.preset.settings(plan.forkUnits());
        double planned = plan.estimateSeconds(settings);
        printPlan(a, info, plan, settings, sweep, planned);
        if (a.dryRun) {
            return 0;
        }

        Path dir = Paths.get(a.out).resolve(info.directoryName());
        Files.createDirectories(dir);
        clean(dir);
        Path tmp = Files.createTempDirectory("raceless-report-");

        Progress progress = new Progress(System.out, plan.forkUnits(), planned);
        List<String> jsonParts = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        for (int i = 0; i < plan.runs.size(); i++) {
            Plan.Run run = plan.runs.get(i);
            commands.add(run.jmhCommand(settings));
            progress.startRun(run, i + 1, plan.runs.size(), settings.flags());
            Path json = tmp.resolve("run-" + (i + 1) + ".json");
            ChainedOptionsBuilder b = new OptionsBuilder()
                    .include(run.include())
                    .addProfiler(GCProfiler.class)
                    .shouldFailOnError(false)
                    .resultFormat(ResultFormatType.JSON)
                    .result(json.toString());
            settings.applyTo(b);
            if (run.threads() != null) {
                b.threads(run.threads());
            }
            if (run.flavour() != null) {
                b.jvm(run.flavour().java());
                b.jvmArgsAppend(run.jvmArgsAppend().toArray(new String[0]));
            }
            runHoldingLock(new Runner(b.build(), progress));
            progress.finishRun();
            if (Files.exists(json)) {
                jsonParts.add(Files.readString(json, StandardCharsets.UTF_8));
                Files.delete(json);
            }
        }
        Files.deleteIfExists(tmp);
        Files.writeString(dir.resolve(RESULT_JSON), mergeJsonArrays(jsonParts), StandardCharsets.UTF_8);

        System.out.println("\nFootprint (JOL, its own JVM)...");
        String footprint = FootprintRun.run();
        if (footprint != null) {
            Files.writeString(dir.resolve(FOOTPRINT_MD), footprint, StandardCharsets.UTF_8);
        }

        info.set("command", command(args));
        info.set("preset", a.preset.id());
        info.set("preset.description", a.preset.description);
        info.set("settings", settings.flags() + " -prof gc");
        info.set("threads", sweep.stream().map(String::valueOf).collect(Collectors.joining(", ")));
        info.set("elapsed.seconds", String.format(Locale.ROOT, "%.0f", progress.elapsedSeconds()));
        info.set("planned.seconds", String.format(Locale.ROOT, "%.0f", planned));
        info.set("failures", progress.failures());
        info.set("jmh.commands", String.join("\n", commands));
        info.set("jmh.version", org.openjdk.jmh.util.Version.getPlainVersion());
        info.store(dir.resolve(RUN_PROPERTIES));

        int rendered = renderInItsOwnJvm(dir);
        if (rendered != 0) {
            return rendered;
        }
        System.out.printf(Locale.ROOT, "%nBenchmarks took %s (planned %s). Report: %s%n",
                Progress.clock(progress.elapsedSeconds()), Progress.clock(planned), dir.resolve("README.md"));
        if (progress.failures() > 0) {
            System.err.println("report: " + progress.failures() + " benchmark(s) failed; see above.");
            return 1;
        }
        return 0;
    }

    /** Renders {@code dir}: in a JVM of its own when {@link #RENDER_CLASSPATH} is set, else here. */
    private static int renderInItsOwnJvm(Path dir) throws IOException, InterruptedException {
        String cp = System.getProperty(RENDER_CLASSPATH);
        if (cp == null || cp.isEmpty()) {
            Render.render(dir);
            return 0;
        }
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Djava.awt.headless=true", "-cp", cp,
                Render.class.getName(), dir.toString()).inheritIO().start();
        int exit = p.waitFor();
        if (exit != 0) {
            System.err.println("report: rendering " + dir + " failed (exit " + exit + "); the measurements are "
                    + "kept: redraw with ./report.sh --render " + dir);
        }
        return exit;
    }

    /**
     * The flavoured sets to run (see {@link Flavours}), each probed first; the probes' answers go
     * into {@code info} (the machine table), and a set that cannot run is left out with a note.
     */
    private static List<Flavours.Flavour> flavours(Args a, RunInfo info, List<String> notes) {
        Flavours.Probe main = Flavours.probeDefault();
        info.set("readside.default", main.toString());
        Path jdk = Flavours.findJdk22(a.jdk22);
        if (jdk == null) {
            notes.add("no JDK " + Flavours.MIN_MAJOR + "+ found (--jdk22 PATH or " + Flavours.ENV
                    + "): the read-side benchmarks run in the default JVM's flavour only");
            return List.of();
        }
        List<Flavours.Flavour> out = new ArrayList<>();
        for (Flavours.Flavour f : Flavours.forJdk(jdk)) {
            Flavours.Probe p = Flavours.probe(f);
            info.set("readside." + f.id(), p + "; `" + f.java() + " " + String.join(" ", f.jvmArgs()) + "`");
            if (p.available() && p.active().equalsIgnoreCase(f.id())) {
                out.add(f);
            } else {
                notes.add(f.label() + ": unavailable here (" + p.reason() + "); its runs are left out");
            }
        }
        return out;
    }

    /** Runs one Runner; if another JMH run on this machine holds JMH's lock, waits for it. */
    private static void runHoldingLock(Runner runner) throws InterruptedException {
        long deadline = System.nanoTime() + LOCK_WAIT_SECONDS * 1_000_000_000L;
        boolean told = false;
        while (true) {
            try {
                runner.run();
                return;
            } catch (RunnerException e) {
                if (String.valueOf(e.getMessage()).contains("Another JMH instance") && System.nanoTime() < deadline) {
                    if (!told) {
                        System.out.println("    another JMH run holds the JMH lock; waiting for it (the two would "
                                + "disturb each other's numbers)...");
                        told = true;
                    }
                    Thread.sleep(5_000);
                    continue;
                }
                System.out.println("    JMH refused the run: " + e.getMessage());
                return;
            }
        }
    }

    /** JMH writes one JSON array per run; the report keeps one array with every result. */
    static String mergeJsonArrays(List<String> parts) {
        List<String> bodies = new ArrayList<>();
        for (String p : parts) {
            String s = p.strip();
            if (s.startsWith("[") && s.endsWith("]")) {
                String body = s.substring(1, s.length() - 1).strip();
                if (!body.isEmpty()) {
                    bodies.add("    " + body);
                }
            }
        }
        return "[\n" + String.join(",\n", bodies) + "\n]\n";
    }

    /** Removes what an earlier run of the same day, machine and JDK wrote here (only those files). */
    private static void clean(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.png")) {
            for (Path p : ds) {
                Files.delete(p);
            }
        }
        for (String f : new String[] {"README.md", Charts.DESCRIPTION_FILE, RESULT_JSON, RUN_PROPERTIES,
                FOOTPRINT_MD}) {
            Files.deleteIfExists(dir.resolve(f));
        }
    }

    /** The command as typed: report.sh passes its own name; a plain java launch says so. */
    private static String command(String[] args) {
        String launcher = System.getProperty("raceless.report.launcher",
                "java -cp jmh-benchmarks/target/benchmarks.jar:report/target/report.jar " + Report.class.getName());
        StringBuilder b = new StringBuilder(launcher);
        for (String arg : args) {
            b.append(' ').append(arg.matches("[A-Za-z0-9_./=:,+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return b.toString();
    }

    private static void printPlan(Args a, RunInfo info, Plan plan, Preset.Settings settings, List<Integer> sweep,
                                  double planned) {
        System.out.printf(Locale.ROOT, "raceless report, %s preset: %s%n", a.preset.id(), a.preset.description);
        System.out.printf(Locale.ROOT, "machine: %s, %d CPUs; %s %s%n", info.get("cpu.model"), info.cpus(),
                info.get("jdk.vendor"), info.get("jdk.version"));
        System.out.printf(Locale.ROOT, "JMH settings: %s -prof gc; thread counts for swept classes: %s%n",
                settings.flags(), sweep);
        System.out.println("read side of the forks: default JVM " + info.get("readside.default"));
        for (String id : new String[] {"fenced", "asymmetric"}) {
            if (!info.get("readside." + id).isEmpty()) {
                System.out.println("  " + id + " set: " + info.get("readside." + id));
            }
        }
        System.out.println("plan:");
        for (Plan.Run r : plan.runs) {
            System.out.printf(Locale.ROOT, "  %-50s %3d benchmark(s)  ~%s%n", r.label(), r.forkUnits(),
                    Progress.clock(r.estimateSeconds(settings)));
        }
        for (String n : plan.notes) {
            System.out.println("  note: " + n);
        }
        System.out.printf(Locale.ROOT, "total: %d runs, %d benchmark forks, about %s (plus the footprint, a few s)%n",
                plan.runs.size(), plan.forkUnits() * (settings.forks() == null ? 1 : settings.forks()),
                Progress.clock(planned));
    }

    /** The command line. */
    static final class Args {
        static final String USAGE = String.join("\n",
                "usage: ./report.sh [--preset quick|full|smoke] [--include REGEX]... [--threads 1,2,4,8]",
                "                   [--jdk22 PATH|none] [--out DIR] [--dry-run] [--render RESULTS_DIR] [--help]",
                "",
                "Runs the JMH benchmarks of raceless and its peers and writes",
                "DIR/<date>-<cpu>-<jdk>/ (DIR defaults to results/, which git ignores): README.md (machine, command,",
                "raceless and each peer per scenario with 99.9% intervals, ratios, correctness), PNG charts,",
                "jmh-result.json, footprint.md and run.properties. A second run on the same day, machine",
                "and JDK replaces those files.",
                "",
                "  --preset quick    default: 2 warmup + 3 measurement iterations, 1 fork, fitted to ~8 min",
                "  --preset full     each class's own @Warmup/@Measurement, 3 forks (tens of minutes)",
                "  --preset smoke    one 200 ms iteration at 2 threads: proves it runs (CI), measures nothing",
                "  --include REGEX   only benchmarks whose full name matches (JMH's rule: find, not match);",
                "                    repeatable; classes not listed in Suites run once at their own @Threads;",
                "                    classes left out by default run only when an include matches the",
                "                    start of their name",
                "  --threads LIST    thread counts for swept classes (default 1,2,4,... up to max(8, 2 x CPUs))",
                "  --jdk22 PATH      a JDK 22+ (home or bin/java) on which the read-side benchmarks run again,",
                "                    forced FENCED and forced ASYMMETRIC (--enable-native-access=ALL-UNNAMED);",
                "                    default: $" + Flavours.ENV + ", else this JDK if 22+, else the newest in",
                "                    /usr/lib/jvm; none: only the default run",
                "  --out DIR         write under DIR instead of results/ (docs/results: the committed reports)",
                "  --dry-run         print the plan and its estimated time, run nothing",
                "  --render DIR      redraw README.md and the charts from DIR's jmh-result.json, run nothing",
                "  --help            this text");

        Preset preset = Preset.QUICK;
        final List<String> includes = new ArrayList<>();
        List<Integer> threads;
        String out = DEFAULT_OUT;
        String render;
        /** --jdk22: a JDK home or bin/java, "none", or null (find one). */
        String jdk22;
        boolean dryRun;
        boolean help;

        static Args parse(String[] args) {
            Args a = new Args();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String value = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    value = arg.substring(eq + 1);
                    arg = arg.substring(0, eq);
                }
                switch (arg) {
                    case "-h":
                    case "--help":
                        a.help = true;
                        break;
                    case "--dry-run":
                        a.dryRun = true;
                        break;
                    case "--preset":
                        String p = value != null ? value : next(args, ++i, arg);
                        try {
                            a.preset = Preset.parse(p);
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("unknown preset '" + p + "' (quick, full or smoke)");
                        }
                        break;
                    case "--include":
                        String regex = value != null ? value : next(args, ++i, arg);
                        try {
                            java.util.regex.Pattern.compile(regex);
                        } catch (java.util.regex.PatternSyntaxException e) {
                            throw new IllegalArgumentException("--include '" + regex + "' is not a regex: "
                                    + e.getDescription());
                        }
                        a.includes.add(regex);
                        break;
                    case "--threads":
                        String t = value != null ? value : next(args, ++i, arg);
                        try {
                            a.threads = new ArrayList<>();
                            for (String n : t.split(",")) {
                                int v = Integer.parseInt(n.trim());
                                if (v < 1) {
                                    throw new NumberFormatException();
                                }
                                a.threads.add(v);
                            }
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException(
                                    "--threads wants positive numbers like 1,2,4,8, not '" + t + "'");
                        }
                        break;
                    case "--out":
                        a.out = value != null ? value : next(args, ++i, arg);
                        break;
                    case "--jdk22":
                        a.jdk22 = value != null ? value : next(args, ++i, arg);
                        break;
                    case "--render":
                        a.render = value != null ? value : next(args, ++i, arg);
                        break;
                    default:
                        throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
            return a;
        }

        private static String next(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }
}
