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
    TryAcquireVsShutdown through a UseCount.Local: the acquirer makes its Local (which registers
    its slot: a monitor and a volatile store, so the fence lies before the call under test), then
    takes a use through it: in the ASYMMETRIC flavour a release store to the slot the Local holds,
    then the state read, with no fence in between (WarmTryAcquireVsShutdown checks the same stores
    reached through the count's own slot lookup). In the FENCED flavour the Local calls the count:
    an xadd. BrokenAsymmetricDekker shows that this shape fails without the shutdown's membarrier.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t LocalTryAcquireVsShutdown \
             -jvmArgsPrepend "--enable-native-access=ALL-UNNAMED -Ddev.raceless.readside=asymmetric"

    Outcomes: TryAcquireVsShutdownOutcomes (tryAcquire under test returned, state and count at the end).
 */
@JCStressTest
@JCStressMeta(TryAcquireVsShutdownOutcomes.class)
@Description("UseCount.Local.tryAcquire() vs shutdown(): the count never dies under a granted use.")
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
