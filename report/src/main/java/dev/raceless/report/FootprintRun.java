package dev.raceless.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Runs {@code dev.raceless.bench.refcount.Footprint} (heap bytes per counter, measured with JOL)
 * and reads back the Markdown table it prints.
 *
 * <p>It runs in a JVM of its own, with the same java and class path as the report: JOL's
 * warnings and its thread-inflated LongAdder then stay out of the report's process, and the
 * sizes are those of a fresh JVM with default flags, as in a forked benchmark.
 */
final class FootprintRun {

    static final String MAIN_CLASS = "dev.raceless.bench.refcount.Footprint";
    private static final long TIMEOUT_SECONDS = 120;
    /** A table row: | counter | what is counted | bytes |, and any further columns (not read). */
    private static final Pattern ROW =
            Pattern.compile("^\\|\\s*(.+?)\\s*\\|\\s*(.*?)\\s*\\|\\s*(\\d+)\\s*\\|(.*\\|)?$");

    private FootprintRun() {
    }

    /** One counter, what its bytes include, and its bytes. */
    record Row(String counter, String what, long bytes) {
    }

    /** The Footprint's Markdown output, or null when the class is absent or fails (said on stderr). */
    static String run() {
        try {
            Class.forName(MAIN_CLASS, false, FootprintRun.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            System.out.println("Footprint: " + MAIN_CLASS + " is not in benchmarks.jar; skipped.");
            return null;
        }
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        // Agrona 2.x reaches jdk.internal.misc.Unsafe, as in the benchmarks' @Fork(jvmArgsAppend)
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), MAIN_CLASS);
        try {
            Process p = pb.start();
            // stderr holds JOL's notes about the VM; keep it only to explain a failure
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread drain = new Thread(() -> copy(p.getErrorStream(), err), "footprint-stderr");
            drain.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                System.err.println("Footprint: no answer in " + TIMEOUT_SECONDS + " s; skipped.");
                return null;
            }
            drain.join();
            if (p.exitValue() != 0) {
                System.err.println("Footprint failed (exit " + p.exitValue() + "):\n"
                        + err.toString(StandardCharsets.UTF_8));
                return null;
            }
            // JOL notes on stdout that it could not attach ("# WARNING: Unable to get Instrumentation"):
            // true, harmless, and not part of the table
            return out.lines().filter(l -> !l.startsWith("# WARNING")).collect(Collectors.joining("\n")).strip() + "\n";
        } catch (IOException e) {
            System.err.println("Footprint: could not start " + java + ": " + e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The first line of the Footprint's output: what was measured, and where. */
    static String title(String markdown) {
        return markdown == null ? "" : markdown.strip().lines().findFirst().orElse("").strip();
    }

    /** The rows of the table in the Footprint's output (none if there is no output). */
    static List<Row> rows(String markdown) {
        List<Row> rows = new ArrayList<>();
        if (markdown == null) {
            return rows;
        }
        for (String line : markdown.split("\n")) {
            Matcher m = ROW.matcher(line.strip());
            if (m.matches()) {
                rows.add(new Row(m.group(1), m.group(2), Long.parseLong(m.group(3))));
            }
        }
        return rows;
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the process went away: what was read is all there is
        }
    }
}
