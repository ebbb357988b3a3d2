package dev.raceless.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The read-side flavours the report measures. Every benchmark runs once on the report's own JDK
 * (its forks choose their flavour as any JVM does: FENCED on JDK 17). When a JDK 22 or later is
 * installed, the read-side benchmarks ({@link Suites#BOTH_FLAVOURS}) run again on it, twice:
 * forced FENCED ({@code -Ddev.raceless.readside=fenced}) and forced ASYMMETRIC
 * ({@code -Ddev.raceless.readside=asymmetric --enable-native-access=ALL-UNNAMED}), so the two
 * designs compare on one JDK, side by side with the default run.
 *
 * <p>Which JDK: {@code --jdk22 PATH} (a JDK home or its {@code bin/java}; {@code none} turns the
 * second set off), else the environment variable {@value #ENV}, else the report's own JDK if it
 * is 22 or later, else the newest JDK 22+ under {@code /usr/lib/jvm}.
 *
 * <p>What each JVM actually ran is asked, not assumed: {@link ReadSideProbe} runs with the same
 * java and options as the forks and prints {@code ReadSide.active()} and {@code reason()}. A
 * flavour whose probe fails (forcing ASYMMETRIC where it is unavailable fails class
 * initialisation) is left out of the plan, with the reason in the plan's notes.
 */
final class Flavours {
    /* Implementation notes: the forks of a flavoured run carry the tag -Draceless.report.flavour=ID
     * next to the read-side property. JMH stores every fork's JVM arguments and JDK version in
     * its JSON, so Measurement reads the flavour back from the results themselves (as the params
     * readside=ID and jdk=MAJOR): a --render of old or new results needs nothing else, and a
     * REPORT_JAVA_OPTS that sets the read-side property cannot be mistaken for a flavoured run. */

    /** The environment variable that names a JDK 22+ (its home or its bin/java). */
    static final String ENV = "RACELESS_JDK22";
    /** The library's system property that forces a flavour. */
    static final String READ_SIDE_PROPERTY = "dev.raceless.readside";
    /** The tag that marks a fork of a flavoured run; Measurement reads it back from the JSON. */
    static final String TAG_PROPERTY = "raceless.report.flavour";
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    static final int MIN_MAJOR = 22;
    private static final long PROBE_TIMEOUT_SECONDS = 60;

    private Flavours() {
    }

    /**
     * One flavoured set of forks.
     *
     * @param id       {@code fenced} or {@code asymmetric}: the value of the read-side property
     * @param java     the {@code bin/java} the forks run
     * @param jdkMajor its feature release (25)
     */
    record Flavour(String id, String java, int jdkMajor) {

        /** The JVM options of every fork of this set (before each class's own jvmArgsAppend). */
        List<String> jvmArgs() {
            List<String> a = new ArrayList<>();
            a.add("-D" + READ_SIDE_PROPERTY + "=" + id);
            if ("asymmetric".equals(id)) {
                a.add(NATIVE_ACCESS);
            }
            a.add("-D" + TAG_PROPERTY + "=" + id);
            return a;
        }

        /** "JDK 25, ASYMMETRIC". */
        String label() {
            return "JDK " + jdkMajor + ", " + id.toUpperCase(Locale.ROOT);
        }
    }

    /** What a probe found: the flavour the JVM chose (or {@code UNAVAILABLE}) and why. */
    record Probe(String active, String reason) {
        boolean available() {
            return !ReadSideProbe.UNAVAILABLE.equals(active);
        }

        @Override
        public String toString() {
            return active + ": " + reason;
        }
    }

    /** The flavoured sets to run, FENCED first; empty when no JDK 22+ is found or it is turned off. */
    static List<Flavour> forJdk(Path java) {
        if (java == null) {
            return List.of();
        }
        int major = major(java);
        return List.of(new Flavour("fenced", java.toString(), major),
                new Flavour("asymmetric", java.toString(), major));
    }

    /**
     * The {@code bin/java} of the JDK 22+ for the flavoured runs, or null: {@code option} (from
     * {@code --jdk22}; "none" for none), else {@value #ENV}, else this JVM, else the newest under
     * /usr/lib/jvm. A path that is no JDK 22+ is an error, not a silent skip.
     */
    static Path findJdk22(String option) {
        String named = option != null ? option : System.getenv(ENV);
        if (named != null && !named.isBlank()) {
            if ("none".equalsIgnoreCase(named.trim())) {
                return null;
            }
            Path java = javaOf(Paths.get(named.trim()));
            if (java == null) {
                throw new IllegalArgumentException((option != null ? "--jdk22 " : ENV + "=") + named
                        + ": no bin/java there");
            }
            int major = major(java);
            if (major < MIN_MAJOR) {
                throw new IllegalArgumentException((option != null ? "--jdk22 " : ENV + "=") + named + " is JDK "
                        + (major == 0 ? "(unknown version)" : major) + "; the ASYMMETRIC read side needs JDK "
                        + MIN_MAJOR + " or later");
            }
            return java;
        }
        Path self = Paths.get(System.getProperty("java.home"), "bin", "java");
        if (Runtime.version().feature() >= MIN_MAJOR) {
            return self;
        }
        Path best = null;
        int bestMajor = 0;
        Path root = Paths.get("/usr/lib/jvm");
        if (Files.isDirectory(root)) {
            Set<Path> seen = new LinkedHashSet<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
                List<Path> homes = new ArrayList<>();
                ds.forEach(homes::add);
                homes.sort(null);
                for (Path home : homes) {
                    Path java = javaOf(home);
                    if (java == null || !seen.add(java.toRealPath())) {
                        continue;
                    }
                    int major = major(java);
                    if (major >= MIN_MAJOR && major > bestMajor) {
                        best = java;
                        bestMajor = major;
                    }
                }
            } catch (IOException e) {
                return null;
            }
        }
        return best;
    }

    /** {@code home/bin/java}, or {@code p} itself if it is an executable named java; null if neither. */
    static Path javaOf(Path p) {
        if (Files.isRegularFile(p) && Files.isExecutable(p) && p.getFileName().toString().equals("java")) {
            return p;
        }
        Path java = p.resolve("bin").resolve("java");
        return Files.isRegularFile(java) && Files.isExecutable(java) ? java : null;
    }

    private static final Pattern JAVA_VERSION = Pattern.compile("^JAVA_VERSION=\"?(\\d+)", Pattern.MULTILINE);

    /** The feature release of the JDK whose bin/java this is, from its {@code release} file; 0 if unknown. */
    static int major(Path java) {
        Path release = java.toAbsolutePath().getParent().getParent().resolve("release");
        try {
            Path real = java.toRealPath();
            if (!Files.exists(release)) {
                release = real.getParent().getParent().resolve("release");
            }
            Matcher m = JAVA_VERSION.matcher(Files.readString(release, StandardCharsets.UTF_8));
            if (m.find()) {
                int v = Integer.parseInt(m.group(1));
                return v == 1 ? 8 : v; // 1.8.0 style
            }
        } catch (IOException | RuntimeException ignored) {
            // fall through
        }
        return 0;
    }

    /** The JVM options JMH's forks inherit from this JVM (JMH's default when no jvmArgs are given). */
    static List<String> inheritedArgs() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments();
    }

    /** The flavour of a fork of the default run: this java, this JVM's options. */
    static Probe probeDefault() {
        return probe(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), List.of());
    }

    /** The flavour a fork of this set gets. */
    static Probe probe(Flavour f) {
        return probe(f.java(), f.jvmArgs());
    }

    /** Runs {@link ReadSideProbe} with {@code java}, the inherited options, then {@code extra}. */
    static Probe probe(String java, List<String> extra) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(inheritedArgs());
        cmd.addAll(extra);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ReadSideProbe.class.getName());
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Probe(ReadSideProbe.UNAVAILABLE, "the probe JVM did not answer in " + PROBE_TIMEOUT_SECONDS
                        + " s");
            }
            for (String line : out.split("\n")) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    return new Probe(line.substring(0, tab).trim(), line.substring(tab + 1).trim());
                }
            }
            return new Probe(ReadSideProbe.UNAVAILABLE, "the probe JVM printed no flavour (exit " + p.exitValue()
                    + "): " + out.strip().replace('\n', ' '));
        } catch (IOException e) {
            return new Probe(ReadSideProbe.UNAVAILABLE, "could not start " + java + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probe(ReadSideProbe.UNAVAILABLE, "interrupted");
        }
    }
}
