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
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    BROKEN ON PURPOSE. TryVsCommit with a try owner that reports success as soon as its
    tryShutdown() found the count DEAD, without the CAS from TRYING to DONE that tells it whether a
    committer took its attempt over. When the committer takes over between the try's claim and its
    report, both report success: the outcome TryVsCommit forbids.

    The bad outcome is marked ACCEPTABLE_INTERESTING so that the suite passes when it shows up; the
    gate (dev.raceless.stress.JcstressGate) fails the build if it did NOT show up, since then
    TryVsCommit might be unable to fail at all.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t BrokenTryVsCommit

    Outcomes (r1, r2, r3): as TryVsCommit, plus
      DONE, DONE, DONE   broken on purpose: two attempts reported success
 */
@JCStressTest
@Description("BROKEN ON PURPOSE: a try owner without its final CAS; must show two successes.")
@Outcome(id = {"DONE, ALREADY, DONE", "TAKEN, DONE, DONE", "REFUSED, DONE, DONE"}, expect = ACCEPTABLE,
        desc = "Exactly one attempt reported success.")
@Outcome(id = "DONE, DONE, DONE", expect = ACCEPTABLE_INTERESTING,
        desc = "Broken on purpose: both attempts reported success.")
@Outcome(expect = FORBIDDEN, desc = "Not possible even for the broken try owner.")
@State
public class BrokenTryVsCommit {
    private final UseCount uses = new UseCount();
    private final UnloadClaim claim = new UnloadClaim(uses, "dev.raceless.stress", () -> "BrokenTryVsCommit");

    @Actor
    public void tryAttempt(LLL_Result r) {
        if (!claim.tryClaim()) {
            r.r1 = "REFUSED";
            return;
        }
        UnloadClaim.Outcome o = claim.tryRetire(UnloadClaim.TRYING, "try");
        if (o == UnloadClaim.Outcome.IDLE) {
            claim.finish(UnloadClaim.TRYING, () -> { });
            r.r1 = "DONE"; // BROKEN: reports success whether or not its CAS to DONE won
            return;
        }
        r.r1 = o == UnloadClaim.Outcome.GIVEN_BACK ? "BUSY" : "TAKEN";
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
