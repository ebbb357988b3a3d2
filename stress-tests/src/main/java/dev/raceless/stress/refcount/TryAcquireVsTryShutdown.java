package dev.raceless.stress.refcount;

import dev.raceless.refcount.UseCount;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZL_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    Almesberger's rule for a non-blocking unload: tryShutdown() "either does nothing, and returns
    failure, or it returns success" and the thing is gone. Here it races a tryAcquire() on an idle
    live count. tryShutdown() moves the state to TRYING (which refuses takers like GOING) and
    counts; at zero it ends the life, otherwise it rolls back to LIVE with a fresh sequence number.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t TryAcquireVsTryShutdown

    Outcomes (r1, r2, r3) = (tryAcquire() returned true, tryShutdown() returned true, CountView):
      true,  false, LIVE 1       the taker won; tryShutdown saw the use and changed nothing
      false, true,  DEAD 0 done  the unloader won; the taker was refused
      false, false, LIVE 0       both lost: the taker read TRYING and backed out, and the counter
                                 saw its tentative up. Both failures are spurious; the contract
                                 allows them ("the module could briefly disappear"), and a retry
                                 of either call succeeds. Interesting, not a bug.
      ..., ..., ... THREW        tryShutdown() threw IllegalStateException (forbidden; see Calls)
    Anything else breaks all-or-nothing: true from tryShutdown must mean DEAD and no use granted;
    false must leave the count LIVE.
 */
@JCStressTest
@Description("tryAcquire() vs tryShutdown(): all or nothing; tryShutdown() true means DEAD with no use granted.")
@Outcome(id = Calls.THREW_PATTERN, expect = FORBIDDEN, desc = "tryShutdown() threw: a correct call taken for misuse.")
@Outcome(id = "true, false, LIVE 1", expect = ACCEPTABLE, desc = "Taker won: tryShutdown busy, count LIVE as before.")
@Outcome(id = "false, true, DEAD 0 done", expect = ACCEPTABLE, desc = "Unloader won: tryAcquire refused, count DEAD.")
@Outcome(id = "false, false, LIVE 0", expect = ACCEPTABLE_INTERESTING,
        desc = "Both failed spuriously (allowed): refused during TRYING, counted as busy.")
@Outcome(id = "true, true, .*", expect = FORBIDDEN,
        desc = "Both won: a use granted in a life that tryShutdown() ended.")
@Outcome(id = ".*, true, (LIVE|GOING).*", expect = FORBIDDEN,
        desc = "tryShutdown() returned true but the count is not DEAD.")
@Outcome(id = ".*, false, (GOING|DEAD).*", expect = FORBIDDEN,
        desc = "tryShutdown() returned false but did not leave the count LIVE.")
@Outcome(expect = FORBIDDEN, desc = "Wrong use count, or state and termination disagree.")
@State
public class TryAcquireVsTryShutdown {

    private final UseCount count = new UseCount();
    private boolean unloaderThrew; // written by one actor, read by the arbiter after it

    @Actor
    public void acquirer(ZZL_Result r) {
        r.r1 = count.tryAcquire();
    }

    @Actor
    public void unloader(ZZL_Result r) {
        try {
            r.r2 = count.tryShutdown();
        } catch (IllegalStateException e) {
            unloaderThrew = true;
        }
    }

    @Arbiter
    public void arbiter(ZZL_Result r) {
        r.r3 = CountView.of(count) + Calls.mark(unloaderThrew);
    }
}
