package dev.raceless.report;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Properties;

/**
 * What the report says about the run besides the numbers: the machine (CPU model, CPU count,
 * memory), the JDK, the OS, the command and the settings, and how long it took. Stored next to
 * the results as {@code run.properties}, so {@code --render} redraws a report with the facts of
 * the machine that measured it, not of the one that draws it.
 */
final class RunInfo {

    final Properties p;

    private RunInfo(Properties p) {
        this.p = p;
    }

    /** The facts of this JVM and machine. */
    static RunInfo ofThisMachine() {
        Properties p = new Properties();
        p.setProperty("date", LocalDate.now().toString());
        p.setProperty("cpu.model", cpuModel());
        p.setProperty("cpu.count", String.valueOf(Runtime.getRuntime().availableProcessors()));
        p.setProperty("memory.bytes", String.valueOf(memoryBytes()));
        p.setProperty("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                + System.getProperty("os.arch") + ")");
        p.setProperty("jdk.vendor", System.getProperty("java.vendor"));
        p.setProperty("jdk.version", System.getProperty("java.version"));
        p.setProperty("jdk.runtime", System.getProperty("java.runtime.version"));
        p.setProperty("jdk.vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        return new RunInfo(p);
    }

    static RunInfo load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return new RunInfo(p);
    }

    void store(Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, "raceless benchmark report: the run's facts (read by Report --render)");
        }
    }

    String get(String key) {
        return p.getProperty(key, "");
    }

    int cpus() {
        return Integer.parseInt(p.getProperty("cpu.count", "1"));
    }

    void set(String key, Object value) {
        p.setProperty(key, String.valueOf(value));
    }

    /** {@code 2026-11-22-intel-xeon-processor-jdk17.0.15}: the results directory's name. */
    String directoryName() {
        return get("date") + "-" + slug(get("cpu.model")) + "-jdk" + get("jdk.version");
    }

    /** The "model name" line of /proc/cpuinfo; the architecture where there is none. */
    static String cpuModel() {
        Path cpuinfo = Paths.get("/proc/cpuinfo");
        try {
            if (Files.isReadable(cpuinfo)) {
                for (String line : Files.readAllLines(cpuinfo, StandardCharsets.UTF_8)) {
                    if (line.startsWith("model name")) {
                        String model = line.substring(line.indexOf(':') + 1).trim();
                        if (!model.isEmpty()) {
                            return model;
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // no /proc: fall through to the architecture
        }
        return System.getProperty("os.arch");
    }

    /** MemTotal of /proc/meminfo, else what the OS MXBean says; 0 if neither answers. */
    static long memoryBytes() {
        Path meminfo = Paths.get("/proc/meminfo");
        try {
            if (Files.isReadable(meminfo)) {
                for (String line : Files.readAllLines(meminfo, StandardCharsets.UTF_8)) {
                    if (line.startsWith("MemTotal:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // fall through to the MXBean
        }
        try {
            java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
                return sun.getTotalMemorySize();
            }
        } catch (RuntimeException | LinkageError ignored) {
            // not a HotSpot-style JDK
        }
        return 0;
    }

    /** "Intel(R) Xeon(R) Processor" → "intel-xeon-processor". */
    static String slug(String s) {
        String t = s.toLowerCase(Locale.ROOT).replace("(r)", "").replace("(tm)", "").replace("@", " ");
        t = t.replaceAll("[^a-z0-9.]+", "-").replaceAll("-+", "-").replaceAll("^-|-$", "");
        return t.isEmpty() ? "unknown-cpu" : t;
    }

    /** "23.4 GiB". */
    static String gib(long bytes) {
        return bytes <= 0 ? "unknown" : String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
