package dev.raceless.stress.refcount;

import dev.raceless.refcount.UseCount;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZL_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    The last release races a tryShutdown(). Two writers may move the state out of TRYING: the
    release that counts zero (TRYING -> DEAD) and the tryShutdown that counted one use
    (TRYING -> LIVE, the rollback). Exactly one CAS wins, and tryShutdown() must report what
    actually happened: if the release ended the life first, the rollback fails and tryShutdown()
    returns true; if the rollback won, the release's CAS fails and the count is LIVE again.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t ReleaseVsTryShutdown

    Outcomes (r1, r2) = (tryShutdown() returned true, CountView at the end):
      true,  DEAD 0 done   the release came first, or finished the TRYING count itself
      false, LIVE 0        tryShutdown counted the use and rolled back; the release then emptied
                           a LIVE count
      ..., ... THREW       release() or tryShutdown() threw IllegalStateException: a correct call
                           taken for misuse (forbidden; see Calls)
 */
@JCStressTest
@Description("release() of the last use vs tryShutdown(): the result always matches the final state.")
@Outcome(id = Calls.THREW_PATTERN, expect = FORBIDDEN,
        desc = "release() or tryShutdown() threw: a correct call taken for misuse.")
@Outcome(id = "true, DEAD 0 done", expect = ACCEPTABLE,
        desc = "Unloaded: the release came first or finished the count.")
@Outcome(id = "false, LIVE 0", expect = ACCEPTABLE,
        desc = "Busy: tryShutdown rolled back, then the release emptied a LIVE count.")
@Outcome(id = "true, (LIVE|GOING).*", expect = FORBIDDEN,
        desc = "tryShutdown() returned true but the count is not DEAD.")
@Outcome(id = "false, (GOING|DEAD).*", expect = FORBIDDEN,
        desc = "tryShutdown() returned false but did not leave the count LIVE.")
@Outcome(expect = FORBIDDEN, desc = "Wrong use count, or state and termination disagree.")
@State
public class ReleaseVsTryShutdown {

    private final UseCount count = new UseCount();
    private boolean releaserThrew; // written by one actor, read by the arbiter after it
    private boolean unloaderThrew;

    public ReleaseVsTryShutdown() {
        count.tryAcquire(); // the one use, held by the releaser
    }

    @Actor
    public void releaser() {
        releaserThrew = !Calls.release(count);
    }

    @Actor
    public void unloader(ZL_Result r) {
        try {
            r.r1 = count.tryShutdown();
        } catch (IllegalStateException e) {
            unloaderThrew = true;
        }
    }

    @Arbiter
    public void arbiter(ZL_Result r) {
        r.r2 = CountView.of(count) + Calls.mark(releaserThrew || unloaderThrew);
    }
}
