package dev.raceless.stress.refcount;

import dev.raceless.refcount.UseCount;

/**
 * Calls into {@link UseCount} from jcstress actors, with the {@link IllegalStateException} that
 * {@code UseCount} throws for misuse turned into a value.
 *
 * <p>Every call the tests make is correct use, so such an exception is a bug: a correct call taken
 * for misuse. Left to escape, it would end the actor's batch as a test error, with no outcome
 * recorded for the samples in it. Caught here, it becomes part of the arbiter's result: the
 * arbiter appends {@link #THREW} to its view, and every test lists {@code ".* THREW"} first among
 * its outcomes, as FORBIDDEN. (jcstress grades an observed state by the first outcome whose
 * pattern matches, in declaration order, after exact ids.)
 */
final class Calls {
    private Calls() {
    }

    /** Appended to an arbiter's result when an actor's call threw. */
    static final String THREW = " THREW";

    /** Outcome pattern matching any result with {@link #THREW} appended. */
    static final String THREW_PATTERN = ".* THREW";

    /** {@link UseCount#release()}; returns {@code false} if it threw. */
    static boolean release(UseCount count) {
        try {
            count.release();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** {@link UseCount#shutdown()}; returns {@code false} if it threw. */
    static boolean shutdown(UseCount count) {
        try {
            count.shutdown();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** {@code ""} or {@link #THREW}, for the end of an arbiter's result. */
    static String mark(boolean threw) {
        return threw ? THREW : "";
    }
}
