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
    tryShutdown() racing shutdown() of an idle count: in either order the count is idle, so the
    state machine says tryShutdown() returns true. The race: tryShutdown moves LIVE to TRYING and
    counts zero, and before its CAS to DEAD the shutdown commits TRYING to GOING; the tryShutdown's
    CAS fails. It used to return isDead(state) at that point, false while the shutdown had not yet
    finished its own count. Now it acts on the state read again: GOING is counted afresh, and zero
    on a GOING word means the life is over. (Found by the Lincheck test UseCountLincheckTest; on the
    UseCount before the fix, jcstress -m quick observes "false, DEAD 0 done".)

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t TryShutdownVsIdleShutdown

    Outcomes (r1, r2) = (what tryShutdown() returned, CountView at the end):
      true, DEAD 0 done     every order: the idle count ended, once
      false, ...            an idle count reported busy although no tryAcquire raced (forbidden)
 */
@JCStressTest
@Description("tryShutdown() vs shutdown() of an idle count: tryShutdown() always returns true, the count ends DEAD.")
@Outcome(id = "true, DEAD 0 done", expect = ACCEPTABLE, desc = "The idle count ended; tryShutdown() saw it.")
@Outcome(id = "false, .*", expect = FORBIDDEN, desc = "tryShutdown() reported an idle count busy.")
@Outcome(expect = FORBIDDEN, desc = "The count did not end DEAD, or termination did not complete.")
@State
public class TryShutdownVsIdleShutdown {

    private final UseCount count = new UseCount();

    @Actor
    public void unloader() {
        count.shutdown();
    }

    @Actor
    public void trier(ZL_Result r) {
        r.r1 = count.tryShutdown();
    }

    @Arbiter
    public void arbiter(ZL_Result r) {
        r.r2 = CountView.of(count);
    }
}
