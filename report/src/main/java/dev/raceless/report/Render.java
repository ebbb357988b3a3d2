package dev.raceless.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;

/**
 * The report's second step: reads a results directory ({@code jmh-result.json},
 * {@code run.properties}, {@code footprint.md}) and writes its {@code README.md} and charts. It
 * runs nothing and needs no JMH, so it has a main of its own for the JVM that draws:
 *
 * <pre>
 *   ./report.sh --render results/2026-11-22-intel-xeon-processor-jdk17.0.15
 * </pre>
 */
public final class Render {

    static final String RESULT_JSON = "jmh-result.json";
    static final String RUN_PROPERTIES = "run.properties";
    static final String FOOTPRINT_MD = "footprint.md";

    private Render() {
    }

    /**
     * Redraws one results directory.
     *
     * @param args {@code [--render] DIR}
     * @throws IOException if the directory has no results or cannot be written
     */
    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        String dir = null;
        for (String a : args) {
            if (a.startsWith("--render=")) {
                dir = a.substring("--render=".length());
            } else if (!a.equals("--render")) {
                dir = a;
            }
        }
        if (dir == null) {
            System.err.println("usage: ./report.sh --render RESULTS_DIR");
            System.exit(2);
        }
        redraw(Paths.get(dir));
    }

    static void redraw(Path dir) throws IOException {
        render(dir);
        System.out.println("\nReport redrawn: " + dir.resolve("README.md"));
    }

    /** Reads a results directory and writes its README.md and charts. */
    static void render(Path dir) throws IOException {
        Path json = dir.resolve(RESULT_JSON);
        if (!Files.exists(json)) {
            throw new IOException("no " + RESULT_JSON + " in " + dir);
        }
        List<Measurement> results = Measurement.parseAll(Files.readString(json, StandardCharsets.UTF_8));
        RunInfo info = RunInfo.load(dir.resolve(RUN_PROPERTIES));
        Path fp = dir.resolve(FOOTPRINT_MD);
        String footprint = Files.exists(fp) ? Files.readString(fp, StandardCharsets.UTF_8) : null;
        Markdown.write(dir, info, results, footprint);
    }

    /** "4m05s", "1h02m". */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
