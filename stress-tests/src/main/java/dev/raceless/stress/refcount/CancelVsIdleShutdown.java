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
    cancelShutdown() racing shutdown() of an idle count. shutdown() writes GOING and then counts;
    a cancelShutdown() that reads GOING in between used to take the count back to LIVE, although
    the count was idle and, in the contract, "straight to DEAD". Now a cancel that reads GOING
    counts too: with no use held it ends the life itself and returns false, so the count always
    ends DEAD. In the ASYMMETRIC flavour its count runs the heavy barrier first, as every count does.
    (Found while writing the Lincheck test UseCountLincheckTest; on the UseCount before the fix,
    jcstress -m quick observes "true, LIVE 0".)

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t CancelVsIdleShutdown

    Outcomes (r1, r2) = (what cancelShutdown() returned, CountView at the end):
      false, DEAD 0 done    the cancel ran before the shutdown (LIVE: nothing to undo), after it
                            (DEAD), or between its two writes (it ended the life itself)
      true, ...             an idle count revived by the cancel (forbidden)
      ..., LIVE 0           the count ended LIVE in the same life (forbidden)
 */
@JCStressTest
@Description("cancelShutdown() vs shutdown() of an idle count: the cancel never revives it; it always ends DEAD.")
@Outcome(id = "false, DEAD 0 done", expect = ACCEPTABLE,
        desc = "The shutdown stands: the count is DEAD, termination completed.")
@Outcome(id = "true, .*", expect = FORBIDDEN, desc = "An idle count revived by cancelShutdown().")
@Outcome(expect = FORBIDDEN, desc = "The count did not end DEAD, or termination did not complete.")
@State
public class CancelVsIdleShutdown {

    private final UseCount count = new UseCount();

    @Actor
    public void unloader() {
        count.shutdown();
    }

    @Actor
    public void canceller(ZL_Result r) {
        r.r1 = count.cancelShutdown();
    }

    @Arbiter
    public void arbiter(ZL_Result r) {
        r.r2 = CountView.of(count);
    }
}
