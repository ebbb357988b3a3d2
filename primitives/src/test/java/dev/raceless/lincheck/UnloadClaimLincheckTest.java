package dev.raceless.lincheck;

import dev.raceless.internal.UnloadClaim;
import dev.raceless.refcount.UseCount;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The unload protocol ({@link UnloadClaim}, docs/unload-protocol.md) checked by Lincheck's model
 * checker on one idle object: try attempts (claim, tryRetire, finish from TRYING) and committed
 * attempts (commit, taking a try over; refuse; wait; finish from COMMITTED) race, and behave as
 * {@link Spec}: the first attempt succeeds, every later one is refused, and exactly one attempt in
 * all reports success. A try that was taken over reports failure and is linearized after the
 * committer that took it over; a committed attempt takes effect at its claim (it cannot fail on
 * an idle object), so {@code retired()} counts COMMITTED as retired.
 *
 * <p>Two try attempts that meet refuse each other (the second one's {@code BUSY} says "in
 * progress", which a one-shot specification cannot say), so the tries and the state reads form
 * one non-parallel group (one thread runs them), and the committed attempts race all of them.
 *
 * <p>What differs between the users (the undo paths a call in flight makes possible, the
 * lifecycle points) is checked by their own Lincheck tests ({@code RegistrationLincheckTest},
 * {@code RegistrationGroupLincheckTest}, {@code ModuleLoaderLincheckTest}) and by the jcstress
 * tests {@code UndoVsCommit} and {@code TryUnloadVsUnload}.
 */
public class UnloadClaimLincheckTest {
    private final UseCount uses = new UseCount();
    private final UnloadClaim claim = new UnloadClaim(uses, "dev.raceless.lincheck", () -> "the object");
    private int successes; // written by the winning CAS's owner only; read by the validation

    @Operation(nonParallelGroup = "tries")
    public boolean tryAttempt() {
        if (!claim.tryClaim()) {
            return false;
        }
        if (claim.tryRetire(UnloadClaim.TRYING, "try") != UnloadClaim.Outcome.IDLE) {
            return false;
        }
        return claim.finish(UnloadClaim.TRYING, () -> successes++);
    }

    @Operation
    public boolean commitAttempt() {
        if (!claim.commit()) {
            return false;
        }
        claim.refuse(UnloadClaim.COMMITTED, "commit");
        claim.awaitRetiredUninterruptibly();
        return claim.finish(UnloadClaim.COMMITTED, () -> successes++);
    }

    /** Whether the object is retired or bound to be: DONE, or COMMITTED (a committed attempt always finishes). */
    @Operation(nonParallelGroup = "tries")
    public boolean retired() {
        int c = claim.state();
        return c == UnloadClaim.COMMITTED || c == UnloadClaim.DONE;
    }

    @Validate
    public void exactlyOneSuccess() {
        assertEquals(claim.state() == UnloadClaim.DONE ? 1 : 0, successes, "successes for " + claim);
    }

    @Test
    void theClaimIsALinearizableOneShotRetirement() {
        LincheckRuns.modelCheck(Spec.class, 10, 300).check(UnloadClaimLincheckTest.class);
    }

    /** The sequential specification: the first attempt retires the object, later ones are refused. */
    public static final class Spec {
        private boolean done;

        public boolean tryAttempt() {
            return retire();
        }

        public boolean commitAttempt() {
            return retire();
        }

        public boolean retired() {
            return done;
        }

        private boolean retire() {
            if (done) {
                return false;
            }
            done = true;
            return true;
        }
    }
}
