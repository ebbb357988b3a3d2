package dev.raceless.stress.refcount;

import dev.raceless.refcount.UseCount;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZL_Result;

/*
    The store->load (Dekker) race at the heart of UseCount. A tryAcquire() announces its use on
    its stripe and then reads the state; a shutdown() writes the state and then counts every
    stripe. Both sides write first and read second, so with only release/acquire ordering each
    could miss the other's write: the taker reads LIVE and goes on, the counter reads no use and
    declares the count DEAD under a running call. UseCount makes both writes full fences (an
    xadd, a CAS), so at least one side sees the other.

    The use taken is never released here, so the arbiter sees what the count decided with the use
    still held.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t TryAcquireVsShutdown

    Outcomes (r1, r2) = (tryAcquire() returned true, CountView of the count at the end):
      true,  GOING 1        the taker got in first; the shutdown found its use: GOING, one held
      false, DEAD 0 done    the shutdown came first; the taker was refused and backed out, and the
                            count died (by the shutdown's own count or by the back-out's)
      ..., ... THREW        shutdown() threw IllegalStateException (forbidden; see Calls)
    Anything else is a bug, described in TryAcquireVsShutdownOutcomes (the table this test shares
    with WarmTryAcquireVsShutdown and LocalTryAcquireVsShutdown). BrokenTryAcquireVsShutdown runs the same race on a
    counter without the fences and shows the forbidden outcome.
 */
@JCStressTest
@JCStressMeta(TryAcquireVsShutdownOutcomes.class)
@Description("tryAcquire() vs shutdown(): the count never dies under a use that tryAcquire() granted.")
@State
public class TryAcquireVsShutdown {

    private final UseCount count = new UseCount();
    private boolean unloaderThrew; // written by one actor, read by the arbiter after it

    @Actor
    public void acquirer(ZL_Result r) {
        r.r1 = count.tryAcquire();
    }

    @Actor
    public void unloader() {
        unloaderThrew = !Calls.shutdown(count);
    }

    @Arbiter
    public void arbiter(ZL_Result r) {
        r.r2 = CountView.of(count) + Calls.mark(unloaderThrew);
    }
}
