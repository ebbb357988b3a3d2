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
    A call still running after shutdown() hands its use on (retain(), legal while GOING) and
    then drops its own, while another holder's release counts the stripes. The count is GOING
    with two uses held, U1 and U2, taken by the constructor:

       actor 1 (holds U1):  retain()   -> the hand-off H, up on actor 1's stripe
                            release()  -> U1's down, then (GOING) a count
       actor 2 (holds U2):  release()  -> U2's down, then (GOING) a count

    H is never released, so the count must end GOING with one use. A false zero needs a count
    that sees U1's down but not H's up. UseCount sums all downs before all ups: if the downs pass
    saw U1's down, the ups pass, which starts later, sees H's up, which happened before it. A
    counter that summed ups first (or summed net per-stripe counts in one pass while the take
    and the drop sit on different stripes, Piggin's bug) could read zero here: its ups pass can
    run before actor 1 starts and its downs pass after actor 1 ends.

    Only two actors fit on this machine, so here the hand-off and the drop are on one stripe; the
    three-thread form (take on stripe A, hand-off on stripe B, drop on stripe A while C counts)
    is HandOffAcrossStripesStress in the harness package.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t HandOffDuringGoing

    Outcomes (r1, r2) = (the hand-off retain() returned normally, CountView at the end):
      true, GOING 1    the only correct end: the handed-on use keeps the count alive
      ..., ... THREW   a release() threw IllegalStateException: a correct release taken for
                       misuse (forbidden; see Calls)
 */
@JCStressTest
@Description("A hand-off retain() while GOING, racing another release's count: never a false DEAD.")
@Outcome(id = Calls.THREW_PATTERN, expect = FORBIDDEN, desc = "A release() threw: a correct release taken for misuse.")
@Outcome(id = "true, GOING 1", expect = ACCEPTABLE, desc = "The handed-on use is held: GOING with one use.")
@Outcome(id = "true, DEAD.*", expect = FORBIDDEN, desc = "False zero: DEAD while the handed-on use is held.")
@Outcome(id = "false, .*", expect = FORBIDDEN, desc = "retain() refused a hand-off by a holder while GOING.")
@Outcome(expect = FORBIDDEN, desc = "Wrong use count, or state and termination disagree.")
@State
public class HandOffDuringGoing {

    private final UseCount count = new UseCount();
    private boolean handOffThrew; // written by one actor, read by the arbiter after it
    private boolean otherThrew;

    public HandOffDuringGoing() {
        count.tryAcquire(); // U1
        count.tryAcquire(); // U2
        count.shutdown();   // GOING
    }

    @Actor
    public void handOff(ZL_Result r) {
        try {
            count.retain(); // H, on behalf of the next holder
            r.r1 = true;
        } catch (IllegalStateException e) {
            r.r1 = false;
        }
        handOffThrew = !Calls.release(count); // U1
    }

    @Actor
    public void otherHolder() {
        otherThrew = !Calls.release(count); // U2
    }

    @Arbiter
    public void arbiter(ZL_Result r) {
        r.r2 = CountView.of(count) + Calls.mark(handOffThrew || otherThrew);
    }
}
