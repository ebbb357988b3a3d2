package dev.raceless.stress.harness;

import java.util.List;

/**
 * Runs every multi-threaded stress scenario, one after the other, and prints one line per
 * scenario and a final {@code N passed, M failed}. Exits with status 1 if any scenario failed:
 * the real primitives showed a violation, or a deliberately broken variant was not caught.
 *
 * <p>To add a scenario, add it to {@link #SCENARIOS}. Keep the list's total time under a minute
 * on a two-CPU machine: Maven runs it in {@code verify}.
 *
 * <pre>
 *   $ java -cp stress-tests/target/jcstress.jar dev.raceless.stress.harness.StressMain
 *   $ java -Draceless.stress.scale=20 -cp ... StressMain      # a 20 times longer soak
 * </pre>
 */
public final class StressMain {
    private StressMain() {
    }

    /** Every scenario, in the order they run. */
    static List<Scenario> scenarios() {
        return List.of(
                HandOffAcrossStripesStress.onUseCount(),
                HandOffAcrossStripesStress.onBrokenCount(),
                ShutdownReopenChurnStress.onUseCount());
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(runAll(scenarios()) ? 0 : 1);
    }

    /** Runs {@code scenarios} in order, printing a line for each and a total; true if all passed. */
    static boolean runAll(List<? extends Scenario> scenarios) throws InterruptedException {
        int passed = 0;
        int failed = 0;
        long start = System.nanoTime();
        for (Scenario s : scenarios) {
            long t0 = System.nanoTime();
            Scenario.Verdict v;
            try {
                v = s.run();
            } catch (RuntimeException | Error e) {
                v = Scenario.Verdict.fail("threw " + e);
            }
            System.out.printf("%s %s (%.1f s): %s%n", v.passed() ? "PASS" : "FAIL", s.name(),
                    (System.nanoTime() - t0) / 1e9, v.detail());
            System.out.flush();
            if (v.passed()) {
                passed++;
            } else {
                failed++;
            }
        }
        System.out.printf("total %.1f s%n", (System.nanoTime() - start) / 1e9);
        System.out.printf("%d passed, %d failed%n", passed, failed);
        return failed == 0;
    }
}
