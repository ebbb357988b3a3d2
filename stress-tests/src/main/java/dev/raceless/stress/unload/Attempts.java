package dev.raceless.stress.unload;

import dev.raceless.internal.UnloadClaim;
import dev.raceless.refcount.UseCount;

/**
 * Test support for the unload-protocol tests: the committed attempt each of them races, and the
 * arbiter's views, written once so that a test and its broken twin differ only where the twin is
 * broken.
 */
final class Attempts {
    private Attempts() {
    }

    /** A blocking attempt on an idle object (deregister(), unload()): "DONE", "ALREADY" or "LOST". */
    static String committedToDone(UnloadClaim claim) {
        if (!claim.commit()) {
            return "ALREADY";
        }
        claim.refuse(UnloadClaim.COMMITTED, "commit");
        claim.awaitRetiredUninterruptibly();
        return claim.finish(UnloadClaim.COMMITTED, () -> { }) ? "DONE" : "LOST";
    }

    /** A blocking attempt that refuses new calls and returns before waiting: "COMMITTED" or "REFUSED". */
    static String committedAndRefusing(UnloadClaim claim) {
        if (!claim.commit()) {
            return "REFUSED";
        }
        claim.refuse(UnloadClaim.COMMITTED, "deregister()");
        return "COMMITTED";
    }

    /** "DONE" if the object is retired with a DEAD count, else the claim as it stands. */
    static String retired(UnloadClaim claim, UseCount uses) {
        return claim.state() == UnloadClaim.DONE && uses.state() == UseCount.State.DEAD ? "DONE" : claim.toString();
    }

    /** An object with a call in flight whose timed try attempt is waiting for it (TRYING, count GOING). */
    static UnloadClaim waitingTry(UseCount uses, String name) {
        UnloadClaim claim = new UnloadClaim(uses, "dev.raceless.stress", () -> name);
        uses.tryAcquire(); // the call in flight
        claim.tryClaim();
        claim.refuse(UnloadClaim.TRYING, "tryDeregister(timeout)");
        return claim;
    }
}
