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
    A committer never waits on a count that went LIVE behind its back (docs/unload-protocol.md): a
    timed try attempt that gives up (undo: CAS to UNDOING, then cancelShutdown) races a committed
    attempt (commit, which may take the try over, then refuse). A call is in flight throughout, so
    the try always gives up. Whoever wins, the committer ends owning a count that refuses new calls
    (GOING): a LIVE count under a COMMITTED claim would let new calls in while its owner waits for
    them to end, and a blocking unload would wait for good.

    BrokenUndoVsCommit cancels the shutdown before the CAS and shows that LIVE count.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t UndoVsCommit

    Outcomes (r1, r2, r3) = (the try's undo, the committer, the count before the call in flight ends):
      GIVEN_BACK, COMMITTED, GOING   the undo came first; the committer claimed afresh and refused
      TAKEN_OVER, COMMITTED, GOING   the committer took the try over; the try did nothing more
 */
@JCStressTest
@Description("A timed try giving up vs a committer: the committer never owns a LIVE count.")
@Outcome(id = {"GIVEN_BACK, COMMITTED, GOING", "TAKEN_OVER, COMMITTED, GOING"}, expect = ACCEPTABLE,
        desc = "The committer owns a count that refuses new calls.")
@Outcome(expect = FORBIDDEN, desc = "The committer owns a LIVE count, or the undo or commit failed.")
@State
public class UndoVsCommit {
    private final UseCount uses = new UseCount();
    private final UnloadClaim claim = Attempts.waitingTry(uses, "UndoVsCommit");

    @Actor
    public void givingUp(LLL_Result r) {
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
