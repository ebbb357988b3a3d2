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
    TryAcquireVsShutdown through a UseCount.Local: the acquirer makes its Local (which registers
    its slot: a monitor and a volatile store, so the fence lies before the call under test), then
    takes a use through it: in the ASYMMETRIC flavour a release store to the slot the Local holds,
    then the state read, with no fence in between (WarmTryAcquireVsShutdown checks the same stores
    reached through the count's own slot lookup). In the FENCED flavour the Local calls the count:
    an xadd. BrokenAsymmetricDekker shows that this shape fails without the shutdown's membarrier.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t LocalTryAcquireVsShutdown \
             -jvmArgsPrepend "--enable-native-access=ALL-UNNAMED -Ddev.raceless.readside=asymmetric"

    Outcomes as in TryAcquireVsShutdown: (tryAcquire under test returned, state and count at the end).
 */
@JCStressTest
@Description("UseCount.Local.tryAcquire() vs shutdown(): the count never dies under a granted use.")
@Outcome(id = Calls.THREW_PATTERN, expect = FORBIDDEN, desc = "shutdown() threw: a correct call taken for misuse.")
@Outcome(id = "true, GOING 1", expect = ACCEPTABLE, desc = "Use taken before the shutdown: GOING with one use held.")
@Outcome(id = "false, DEAD 0 done", expect = ACCEPTABLE, desc = "Shutdown first: tryAcquire refused, count DEAD, termination done.")
@Outcome(id = "true, DEAD.*", expect = FORBIDDEN, desc = "DEAD while the acquirer holds a use: the Dekker outcome.")
@Outcome(id = "false, GOING.*", expect = FORBIDDEN, desc = "No use held, shutdown returned, yet not DEAD: a back-out lost the last release.")
@Outcome(expect = FORBIDDEN, desc = "Wrong use count, or state and termination disagree.")
@State
public class LocalTryAcquireVsShutdown {

    private final UseCount count = new UseCount();
    private boolean unloaderThrew;

    @Actor
    public void acquirer(ZL_Result r) {
        UseCount.Local local = count.local(); // registers this thread's slot
        r.r1 = local.tryAcquire();             // the unfenced path under test
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
