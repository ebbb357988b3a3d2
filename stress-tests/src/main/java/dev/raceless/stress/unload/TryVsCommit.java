package dev.raceless.stress.unload;

import dev.raceless.internal.UnloadClaim;
import dev.raceless.refcount.UseCount;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    The take-over race of the unload protocol (docs/unload-protocol.md, "Exactly one success"): on
    one idle object, a try attempt (tryClaim, tryRetire, finish from TRYING: Registration's
    tryDeregister(), a three-point tryUnload) races a committed one (commit, refuse, wait, finish
    from COMMITTED: deregister(), unload()), which may take the try over. Exactly one of them must
    report success, and the object must end DONE.

    BrokenTryVsCommit runs the same race with a try owner that reports success without its CAS to
    DONE, and shows two successes.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t TryVsCommit

    Outcomes (r1, r2, r3) = (the try attempt, the committed attempt, the claim at the end):
      DONE,       ALREADY, DONE   the try finished first; the committer found it DONE
      TAKEN,      DONE,    DONE   the committer took the try over and finished it
      REFUSED,    DONE,    DONE   the committer claimed first; the try was refused
 */
@JCStressTest
@Description("A try attempt vs a committed one on one claim: exactly one success.")
@Outcome(id = {"DONE, ALREADY, DONE", "TAKEN, DONE, DONE", "REFUSED, DONE, DONE"}, expect = ACCEPTABLE,
        desc = "Exactly one attempt reported success.")
@Outcome(expect = FORBIDDEN, desc = "Two successes, none, or an object left unretired.")
@State
public class TryVsCommit {
    private final UseCount uses = new UseCount();
    private final UnloadClaim claim = new UnloadClaim(uses, "dev.raceless.stress", () -> "TryVsCommit");

    @Actor
    public void tryAttempt(LLL_Result r) {
        if (!claim.tryClaim()) {
            r.r1 = "REFUSED";
            return;
        }
        UnloadClaim.Outcome o = claim.tryRetire(UnloadClaim.TRYING, "try");
        r.r1 = o == UnloadClaim.Outcome.IDLE && claim.finish(UnloadClaim.TRYING, () -> { }) ? "DONE"
                : o == UnloadClaim.Outcome.GIVEN_BACK ? "BUSY" : "TAKEN";
    }

    @Actor
    public void committedAttempt(LLL_Result r) {
        r.r2 = Attempts.committedToDone(claim);
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = Attempts.retired(claim, uses);
    }
}
