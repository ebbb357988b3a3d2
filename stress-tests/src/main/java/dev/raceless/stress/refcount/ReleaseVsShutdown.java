package dev.raceless.stress.refcount;

import dev.raceless.refcount.UseCount;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    The Dekker race on the release side: the last holder releases while the unloader shuts down.
    release() adds to its stripe's downs and then reads the state: if it reads LIVE it leaves the
    zero test to the shutdown; shutdown() writes GOING and then counts. If both reads could miss
    the other's write, the release would not finish the count (it read LIVE) and the shutdown
    would still count the use (it missed the down): GOING forever with no use held, and every
    awaitTermination() hangs. The xadd and the CAS make one of them see the other.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t ReleaseVsShutdown

    Outcomes (r1, r2) = (state() right after shutdown() returned, CountView at the end):
      DEAD,  DEAD 0 done    the release came first (or finished the count just after): the
                            shutdown found no use and ended the life itself
      GOING, DEAD 0 done    the shutdown came first and left the count GOING; the release saw
                            GOING, counted zero and ended the life
    The end state is always DEAD: no use is held once both actors are done.
      ... THREW             release() or shutdown() threw IllegalStateException: a correct call
                            taken for misuse (forbidden; see Calls)
 */
@JCStressTest
@Description("release() of the last use vs shutdown(): the count always ends DEAD, termination completed.")
@Outcome(id = Calls.THREW_PATTERN, expect = FORBIDDEN,
        desc = "release() or shutdown() threw: a correct call taken for misuse.")
@Outcome(id = "DEAD, DEAD 0 done", expect = ACCEPTABLE,
        desc = "Release first: the shutdown's own count ended the life.")
@Outcome(id = "GOING, DEAD 0 done", expect = ACCEPTABLE, desc = "Shutdown first: the last release ended the life.")
@Outcome(id = ".*, GOING 0", expect = FORBIDDEN, desc = "Lost last release: no use held, yet GOING forever.")
@Outcome(id = "LIVE, .*", expect = FORBIDDEN, desc = "shutdown() returned and the count was still LIVE.")
@Outcome(expect = FORBIDDEN, desc = "Wrong use count, or state and termination disagree.")
@State
public class ReleaseVsShutdown {

    private final UseCount count = new UseCount();
    private boolean releaserThrew; // written by one actor, read by the arbiter after it
    private boolean unloaderThrew;

    public ReleaseVsShutdown() {
        count.tryAcquire(); // the one use, held by the releaser
    }

    @Actor
    public void releaser() {
        releaserThrew = !Calls.release(count);
    }

    @Actor
    public void unloader(LL_Result r) {
        unloaderThrew = !Calls.shutdown(count);
        r.r1 = count.state();
    }

    @Arbiter
    public void arbiter(LL_Result r) {
        r.r2 = CountView.of(count) + Calls.mark(releaserThrew || unloaderThrew);
    }
}
