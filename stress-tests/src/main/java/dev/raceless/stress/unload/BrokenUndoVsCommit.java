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
    BROKEN ON PURPOSE. UndoVsCommit with a try owner that cancels its shutdown first and only then
    asks the claim whether it still owns the attempt. A committer that took the attempt over and
    refused new calls before the cancel is left owning a LIVE count: the outcome UndoVsCommit
    forbids.

    The bad outcome is marked ACCEPTABLE_INTERESTING so that the suite passes when it shows up; the
    gate (dev.raceless.stress.JcstressGate) fails the build if it did NOT show up, since then
    UndoVsCommit might be unable to fail at all.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t BrokenUndoVsCommit

    Outcomes (r1, r2, r3): as UndoVsCommit, plus
      TAKEN_OVER, COMMITTED, LIVE   broken on purpose: the committer owns a LIVE count
 */
@JCStressTest
@Description("BROKEN ON PURPOSE: cancel before the claim CAS; must show a committer owning a LIVE count.")
@Outcome(id = {"GIVEN_BACK, COMMITTED, GOING", "TAKEN_OVER, COMMITTED, GOING"}, expect = ACCEPTABLE,
        desc = "The committer owns a count that refuses new calls.")
@Outcome(id = "TAKEN_OVER, COMMITTED, LIVE", expect = ACCEPTABLE_INTERESTING,
        desc = "Broken on purpose: the committer owns a LIVE count.")
@Outcome(expect = FORBIDDEN, desc = "Not possible even for the broken try owner.")
@State
public class BrokenUndoVsCommit {
    private final UseCount uses = new UseCount();
    private final UnloadClaim claim = Attempts.waitingTry(uses, "BrokenUndoVsCommit");

    @Actor
    public void givingUp(LLL_Result r) {
        uses.cancelShutdown(); // BROKEN: before the claim says whether this call still owns the attempt
        r.r1 = claim.undo(UnloadClaim.TRYING, null).name();
    }

    @Actor
    public void committer(LLL_Result r) {
        r.r2 = Attempts.committedAndRefusing(claim);
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = uses.state().name();
    }
}
