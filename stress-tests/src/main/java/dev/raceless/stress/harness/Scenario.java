package dev.raceless.stress.harness;

import java.util.List;

/**
 * One stress scenario, as {@link StressMain} runs it: plain threads that hammer one mechanism,
 * check its guarantees as they go, and report into the shared {@link Run}: operations, injected
 * faults, latencies, and an error for every broken guarantee. A scenario never throws for a failed
 * check: a violation is an error in the run.
 *
 * <p>Scenarios exist for races that need more parties than jcstress can schedule on a small
 * machine (jcstress refuses a test with more actors than CPUs), and for everything at once with
 * faults injected. Two kinds implement this one interface:
 * <ul>
 *   <li>an <em>open-ended</em> scenario works until {@link Run#running()} turns false: {@code --check}
 *       runs it alone for a few seconds, {@code --soak} runs it with all the others at once for the
 *       whole soak;</li>
 *   <li>a {@link Bounded} scenario runs to its own budget (a round count and a wall-clock cap, see
 *       {@link Budget}) on one driver thread and ends in a {@link Verdict}; only {@code --check}
 *       runs it. A scenario built on a deliberately broken primitive is bounded: it passes only if
 *       its checks caught the bug within its budget.</li>
 * </ul>
 */
public interface Scenario {

    /** A short name, printed in the report and matched by {@code --only}. */
    String name();

    /** Whether {@code --soak} runs this scenario; true for an open-ended one. */
    default boolean soaks() {
        return true;
    }

    /**
     * The scenario's threads, not yet started: the runner starts them all together, makes them
     * daemons, counts an uncaught exception as an error, and reports a thread that does not end
     * after the run as a hang.
     */
    List<Thread> threads(Run run);

    /**
     * A scenario that runs to its own budget and ends in a one-line {@link Verdict}; {@code --check}
     * only. Its one thread calls {@link #check()} and reports the verdict into the run: a failed
     * verdict is an error.
     */
    interface Bounded extends Scenario {

        /**
         * Runs the scenario to the end of its budget, or to its first violation.
         *
         * @throws InterruptedException if the thread running the scenario is interrupted
         */
        Verdict check() throws InterruptedException;

        @Override
        default boolean soaks() {
            return false;
        }

        @Override
        default List<Thread> threads(Run run) {
            return List.of(new Thread(() -> {
                try {
                    run.verdict(check());
                } catch (InterruptedException e) {
                    run.error("interrupted", name() + " was interrupted");
                }
            }, name()));
        }
    }

    /** A {@link Bounded} scenario named {@code name} whose check is {@code check}. */
    static Bounded bounded(String name, Check check) {
        return new Bounded() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Verdict check() throws InterruptedException {
                return check.run();
            }
        };
    }

    /** The body of a bounded scenario: runs it to its budget and returns its verdict. */
    @FunctionalInterface
    interface Check {
        Verdict run() throws InterruptedException;
    }

    /**
     * The outcome of one bounded run.
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
