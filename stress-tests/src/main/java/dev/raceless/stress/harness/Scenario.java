package dev.raceless.stress.harness;

/**
 * One multi-threaded stress scenario, as {@link StressMain} runs it: plain threads, bounded by a
 * round count and a wall-clock cap, ending in a one-line {@link Verdict}.
 *
 * <p>Scenarios exist for races that need more parties than jcstress can schedule on a small
 * machine (jcstress refuses a test with more actors than CPUs). A scenario checks invariants as
 * it goes and never throws for a failed check: a violation is a verdict. A scenario built on a
 * deliberately broken primitive passes only if its checks caught the bug within its budget.
 */
public interface Scenario {

    /** A short name, printed at the start of the scenario's line. */
    String name();

    /**
     * Runs the scenario to the end of its budget, or to its first violation.
     *
     * @throws InterruptedException if the thread running the scenario is interrupted
     */
    Verdict run() throws InterruptedException;

    /**
     * The outcome of one run.
     *
     * @param passed whether the scenario passed (for a broken variant: whether it was caught)
     * @param detail one line: what ran, how much, and what was seen
     */
    record Verdict(boolean passed, String detail) {
        public static Verdict pass(String detail) {
            return new Verdict(true, detail);
        }

        public static Verdict fail(String detail) {
            return new Verdict(false, detail);
        }
    }
}
