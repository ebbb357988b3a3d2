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
    tryShutdown() on a GOING count (one use held) racing the owner of that shutdown, who cancels
    it and then releases the last use. tryShutdown reads GOING and counts; if the cancel and the
    release both land before its count, it counts zero on a GOING word that is gone: the count is
    LIVE again, in the same life, idle. A tryShutdown that then returned true would tell its
    caller "no use is held and none can be taken" while tryAcquire() succeeds. It must read the
    state again and act on it (LIVE: a new attempt, which ends the idle count: true and DEAD).

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t TryShutdownVsCancel

    Outcomes (r1, r2) = (what tryShutdown() returned, CountView at the end):
      false, LIVE 0         tryShutdown found the use held (before the release), or ran between
                            the cancel and the release: busy, nothing changed
      true, DEAD 0 done     it ended the idle count, or the release ended the life under it
      true, LIVE 0          true while the count is LIVE (forbidden)
 */
@JCStressTest
@Description("tryShutdown() vs cancelShutdown() + last release: true only if the count really ended.")
@Outcome(id = "false, LIVE 0", expect = ACCEPTABLE, desc = "Busy: the use was held when tryShutdown counted.")
@Outcome(id = "true, DEAD 0 done", expect = ACCEPTABLE, desc = "The idle count ended, once.")
@Outcome(id = "true, LIVE .*", expect = FORBIDDEN, desc = "tryShutdown() returned true while the count is LIVE.")
@Outcome(expect = FORBIDDEN, desc = "Any other end state.")
@State
public class TryShutdownVsCancel {

    private final UseCount count = new UseCount();

    public TryShutdownVsCancel() {
        count.tryAcquire(); // the use, released by the owner actor
        count.shutdown();   // GOING with it
    }

    @Actor
    public void trier(ZL_Result r) {
        r.r1 = count.tryShutdown();
    }

    @Actor
    public void owner() {
        count.cancelShutdown();
        count.release();
    }

    @Arbiter
    public void arbiter(ZL_Result r) {
        r.r2 = CountView.of(count);
    }
}
