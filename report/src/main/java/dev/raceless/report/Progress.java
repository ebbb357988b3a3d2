package dev.raceless.report;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Locale;
import java.util.TreeMap;

/**
 * JMH's console output, shortened to one line per benchmark: which one, its score and B/op, how
 * many are left and an estimate of the time left. The estimate starts from the plan (iterations
 * × iteration time + a fixed overhead per fork) and is scaled by how long the finished forks
 * really took against their own estimate, so a slow machine corrects it after a few forks.
 *
 * <p>Messages JMH prints for failures, and the forked VMs' own output, are passed through
 * indented; JMH's per-iteration lines and its final table are dropped (the report has them).
 */
final class Progress implements OutputFormat {
    /* Implementation notes: JMH calls startBenchmark/endBenchmark once per benchmark and
     * parameter combination, around all its forks. A failure prints "<failure>" and a stack trace
     * through println and may skip endBenchmark, so a benchmark still open at the next
     * startBenchmark, or at finishRun(), is counted as failed. */

    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private final int benchmarksPlanned;
    private final double secondsPlanned;

    private double secondsPlannedDone;
    private int benchmarksDone;
    private int failures;
    private BenchmarkParams current;
    private double currentPlanned;
    private final StringBuilder forkedLine = new StringBuilder();
    private boolean noteShown;
    private boolean inNote;

    Progress(PrintStream out, int benchmarksPlanned, double secondsPlanned) {
        this.out = out;
        this.benchmarksPlanned = benchmarksPlanned;
        this.secondsPlanned = secondsPlanned;
    }

    int failures() {
        return failures;
    }

    double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Seconds left: the plan's remainder, scaled by (real / planned) time of the forks done. */
    double secondsLeft() {
        double left = Math.max(0, secondsPlanned - secondsPlannedDone);
        if (secondsPlannedDone > 0) {
            left *= elapsedSeconds() / secondsPlannedDone;
        }
        return left;
    }

    /** Announces one JMH invocation (a class at a thread count). */
    void startRun(Plan.Run run, int index, int runs, String settings) {
        out.printf(Locale.ROOT, "%n[run %d/%d] %s: %d benchmark(s), %s%s   (elapsed %s, ~%s left)%n",
                index, runs, run.label(), run.forkUnits(), settings,
                run.threads() == null ? "" : " -t " + run.threads(), clock(elapsedSeconds()), clock(secondsLeft()));
        out.flush();
    }

    /** Closes a run: a benchmark that never ended has failed. */
    void finishRun() {
        flushForkedLine();
        if (current != null) {
            fail();
        }
    }

    @Override
    public void startBenchmark(BenchmarkParams params) {
        if (current != null) {
            fail();
        }
        current = params;
        currentPlanned = planned(params);
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        flushForkedLine();
        if (current == null) {
            return;
        }
        if (result == null || result.getPrimaryResult() == null) {
            fail();
            return;
        }
        benchmarksDone++;
        secondsPlannedDone += currentPlanned;
        Result<?> p = result.getPrimaryResult();
        Result<?> alloc = result.getSecondaryResults().get("gc.alloc.rate.norm");
        String error = Double.isNaN(p.getScoreError()) ? "" : String.format(Locale.ROOT, " ± %.2f", p.getScoreError());
        out.printf(Locale.ROOT, "  [%d/%d] %-40s %12.2f%s %s%s   (elapsed %s, ~%s left)%n",
                benchmarksDone + failures, benchmarksPlanned, name(current), p.getScore(), error, p.getScoreUnit(),
                alloc == null ? "" : String.format(Locale.ROOT, ", %.3f B/op", alloc.getScore()),
                clock(elapsedSeconds()), clock(secondsLeft()));
        out.flush();
        current = null;
    }

    private void fail() {
        failures++;
        secondsPlannedDone += currentPlanned;
        out.printf(Locale.ROOT, "  [%d/%d] %-40s FAILED (see the messages above)%n",
                benchmarksDone + failures, benchmarksPlanned, name(current));
        current = null;
    }

    /** "useCount t=4" or "crossThread[uses=1] t=1". */
    private static String name(BenchmarkParams p) {
        String b = p.getBenchmark();
        TreeMap<String, String> params = new TreeMap<>();
        for (String k : p.getParamsKeys()) {
            params.put(k, p.getParam(k));
        }
        return b.substring(b.lastIndexOf('.') + 1) + Measurement.paramsLabel(params) + " t=" + p.getThreads();
    }

    /** The same estimate as {@link Plan.Run#estimateSeconds}, from JMH's resolved parameters. */
    private static double planned(BenchmarkParams p) {
        boolean ss = p.getMode() == Mode.SingleShotTime;
        double timed = ss ? 0 : iterations(p.getWarmup()) + iterations(p.getMeasurement());
        return (p.getForks() + p.getWarmupForks()) * (Preset.FORK_OVERHEAD_SECONDS + timed);
    }

    private static double iterations(IterationParams ip) {
        return ip.getCount() * Plan.seconds(ip.getTime());
    }

    static String clock(double seconds) {
        return Render.clock(seconds);
    }

    // ---- messages ---------------------------------------------------------------------------

    @Override
    public void println(String s) {
        // JMH prints its Blackhole-mode NOTE once per Runner; show it once per report.
        if (s.startsWith("NOTE: Current JVM experimentally supports Compiler Blackholes")) {
            inNote = noteShown;
            noteShown = true;
            if (inNote) {
                return;
            }
        } else if (inNote) {
            if (s.isBlank()) {
                inNote = false;
            }
            return;
        }
        // JMH's own progress ("# Run progress", "# Fork: 1 of 1", "# Run complete") and its
        // "Benchmark result is saved to" are replaced by this class's lines.
        if (!s.isBlank() && !s.startsWith("#") && !s.startsWith("Benchmark result is saved to")) {
            out.println("    " + s.replace("\n", "\n    "));
        }
    }

    @Override
    public void print(String s) {
        write(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void verbosePrintln(String s) {
        // verbose-only lines: dropped
    }

    /** The forked VM's stdout and stderr arrive here byte by byte; print them line by line. */
    @Override
    public void write(int b) {
        if (b == '\n') {
            flushForkedLine();
        } else {
            forkedLine.append((char) b);
        }
    }

    @Override
    public void write(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                flushForkedLine();
            } else {
                forkedLine.append(c);
            }
        }
    }

    private void flushForkedLine() {
        if (forkedLine.length() > 0) {
            out.println("      | " + forkedLine.toString().stripTrailing());
            forkedLine.setLength(0);
        }
    }

    @Override
    public void iteration(BenchmarkParams benchParams, IterationParams params, int iteration) {
    }

    @Override
    public void iterationResult(BenchmarkParams benchParams, IterationParams params, int iteration,
                                IterationResult data) {
    }

    @Override
    public void startRun() {
    }

    @Override
    public void endRun(Collection<RunResult> result) {
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        flushForkedLine();
        out.flush();
    }
}
