package dev.raceless.stress;

import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;
import org.openjdk.jcstress.infra.grading.GradingResult;
import org.openjdk.jcstress.infra.runners.TestList;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The check that runs after jcstress: every deliberately broken test ({@code Broken…}) must have
 * shown its bad outcome, or the build fails.
 *
 * <p>A broken test runs a race on a counter without the fence or the ordering that the real
 * primitive relies on, and marks the outcome that its real twin forbids as
 * {@code ACCEPTABLE_INTERESTING}: jcstress passes either way. This gate is what makes the broken
 * test mean something. If its bad outcome did not show up, the run was too short or too tame to
 * produce the interleaving, and the twin's clean result proves nothing: fail.
 *
 * <p>Rule: for each test in the jar's {@code META-INF/TestList} whose simple name starts with
 * {@code Broken} and whose name matches the same {@code -t} filter jcstress was given, the sum over
 * all JVM configurations of the samples graded {@code ACCEPTABLE_INTERESTING} must be positive. A
 * broken test with no results at all fails too, and so does a result file with no test matching
 * the filter (jcstress exits 0 when its filter matches nothing), and any test whose runs produced
 * no sample in any configuration (jcstress reports it OK, but it checked nothing). Any test with a
 * FORBIDDEN outcome observed, or a run that ended in an error, fails the gate as well: jcstress
 * already exits non-zero then, but the gate alone should give the whole verdict on a result file.
 *
 * <p>Input: the binary result file jcstress writes into its working directory
 * ({@code jcstress-results-<date>.bin.gz}), graded by jcstress's own classes, so the outcome
 * patterns are matched exactly as jcstress matched them. With {@code --summary} the gate also
 * prints, for every test, each observed state with its expectation and its count summed over all
 * configurations.
 *
 * <p>How to run it (Maven runs it in {@code verify}, right after jcstress; see the module's pom):
 * <pre>
 *   $ cd stress-tests/target/jcstress
 *   $ java -jar ../jcstress.jar -t dev.raceless.stress -m quick
 *   $ java -cp ../jcstress.jar dev.raceless.stress.JcstressGate . dev.raceless.stress --summary
 * </pre>
 * Arguments: a result file or a directory (the newest {@code jcstress-results-*.bin.gz} in it is
 * read), then optionally the test regexp given to jcstress, then optionally {@code --summary}.
 * Exit status: 0 when the run was clean and every broken test showed its bad outcome, 1 when not,
 * 2 on bad input.
 */
public final class JcstressGate {
    private JcstressGate() {
    }

    private static final String BROKEN_PREFIX = "Broken";

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        boolean summary = rest.remove("--summary");
        if (rest.isEmpty() || rest.size() > 2) {
            System.err.println("usage: JcstressGate <result file or directory> [test regexp] [--summary]");
            System.exit(2);
        }
        Optional<File> file = resultFile(new File(rest.get(0)));
        if (file.isEmpty()) {
            System.err.println("JcstressGate: no jcstress-results-*.bin.gz at " + rest.get(0) + ": did jcstress run?");
            System.exit(2);
        }
        Pattern filter = Pattern.compile(rest.size() > 1 ? rest.get(1) : ".*");
        System.exit(check(file.get(), filter, summary) ? 0 : 1);
    }

    /** Grades the results in {@code file}; prints one line per broken test; true if all were caught. */
    static boolean check(File file, Pattern filter, boolean summary) throws IOException, ClassNotFoundException {
        // test name -> state -> (expectation, samples summed over all configurations)
        Map<String, Map<String, Tally>> byTest = new TreeMap<>();
        // test name -> why it failed (a forbidden outcome seen, or a run that did not end normally)
        Map<String, String> failed = new TreeMap<>();
        for (TestResult r : read(file)) {
            Map<String, Tally> states = byTest.computeIfAbsent(r.getName(), k -> new TreeMap<>());
            for (GradingResult g : r.grading().gradingResults.values()) {
                states.computeIfAbsent(g.id, k -> new Tally(g.expect)).samples += g.count;
            }
            if (r.status() != Status.NORMAL && r.status() != Status.API_MISMATCH) {
                failed.putIfAbsent(r.getName(), r.status() + " in " + r.getConfig().jvmArgs);
            }
        }
        if (summary) {
            printSummary(byTest);
        }
        // jcstress itself exits non-zero on these; checked again so that the gate alone, run on a
        // re-parsed result file, says whether the run was clean.
        for (Map.Entry<String, Map<String, Tally>> test : byTest.entrySet()) {
            for (Map.Entry<String, Tally> state : test.getValue().entrySet()) {
                if (state.getValue().expect == Expect.FORBIDDEN && state.getValue().samples > 0) {
                    failed.putIfAbsent(test.getKey(), "forbidden outcome \"" + state.getKey() + "\" seen "
                            + state.getValue().samples + " times");
                }
            }
        }
        // A test whose runs produced no sample checked nothing (jcstress still calls it OK).
        for (Map.Entry<String, Map<String, Tally>> test : byTest.entrySet()) {
            if (test.getValue().values().stream().mapToLong(t -> t.samples).sum() == 0) {
                failed.putIfAbsent(test.getKey(), "no sample in any configuration: the test checked nothing");
            }
        }
        failed.forEach((test, why) -> System.out.println("JcstressGate: FAIL " + simpleName(test) + ": " + why));
        if (byTest.keySet().stream().noneMatch(t -> filter.matcher(t).find())) {
            System.out.println("JcstressGate: FAIL no result for any test matching \"" + filter + "\" in "
                    + file.getName() + ": jcstress ran nothing");
            return false;
        }

        boolean allCaught = failed.isEmpty();
        int broken = 0;
        for (String test : TestList.tests()) {
            if (!simpleName(test).startsWith(BROKEN_PREFIX) || !filter.matcher(test).find()) {
                continue;
            }
            broken++;
            Map<String, Tally> states = byTest.get(test);
            if (states == null) {
                System.out.println("JcstressGate: FAIL " + simpleName(test) + ": no results: it did not run");
                allCaught = false;
                continue;
            }
            long total = 0;
            long bad = 0;
            for (Tally t : states.values()) {
                total += t.samples;
                if (t.expect == Expect.ACCEPTABLE_INTERESTING) {
                    bad += t.samples;
                }
            }
            if (bad > 0) {
                System.out.printf("JcstressGate: ok   %s: its bad outcome showed in %d of %d samples (%.3f%%): "
                        + "the test it mirrors can fail%n", simpleName(test), bad, total, 100.0 * bad / total);
            } else {
                System.out.printf("JcstressGate: FAIL %s: its bad outcome never showed in %d samples: "
                        + "the test it mirrors proves nothing in this run (run longer: -Djcstress.mode=default)%n",
                        simpleName(test), total);
                allCaught = false;
            }
        }
        System.out.println("JcstressGate: " + byTest.size() + " test(s), " + broken + " of them broken on purpose, in "
                + file.getName() + (allCaught ? ": no forbidden outcome, every broken test showed its bad outcome"
                : ": FAILED"));
        return allCaught;
    }

    /** {@code f} itself, or the newest jcstress result file in directory {@code f}. */
    static Optional<File> resultFile(File f) {
        if (f.isFile()) {
            return Optional.of(f);
        }
        File[] files = f.listFiles((dir, name) -> name.startsWith("jcstress-results-") && name.endsWith(".bin.gz"));
        if (files == null) {
            return Optional.empty();
        }
        return Arrays.stream(files).max(Comparator.comparingLong(File::lastModified).thenComparing(File::getName));
    }

    private static List<TestResult> read(File file) throws IOException, ClassNotFoundException {
        InProcessCollector sink = new InProcessCollector();
        DiskReadCollector reader = new DiskReadCollector(file.getPath(), sink);
        try {
            reader.dump();
        } finally {
            reader.close();
        }
        return new ArrayList<>(sink.getTestResults());
    }

    private static void printSummary(Map<String, Map<String, Tally>> byTest) {
        for (Map.Entry<String, Map<String, Tally>> test : byTest.entrySet()) {
            System.out.println(simpleName(test.getKey()));
            for (Map.Entry<String, Tally> state : test.getValue().entrySet()) {
                Tally t = state.getValue();
                System.out.printf("  %-32s %-12s %,15d%n", state.getKey(), t.expect, t.samples);
            }
        }
    }

    private static String simpleName(String test) {
        return test.substring(test.lastIndexOf('.') + 1);
    }

    private static final class Tally {
        final Expect expect;
        long samples;

        Tally(Expect expect) {
            this.expect = expect;
        }
    }
}
