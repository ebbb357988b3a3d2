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
    TryAcquireVsShutdown on the steady-state path of the ASYMMETRIC read side. A thread's first use
    of a count installs its slot (a monitor and a volatile store: a full fence), so on a fresh count
    per state, as jcstress makes them, TryAcquireVsShutdown checks the first, fenced, up. Here the
    acquirer first takes and drops one use, so its slot exists, and the tryAcquire under test is a
    release store followed by the state read with no fence in between: only the shutdown's
    membarrier keeps the Dekker outcome away. In the FENCED flavour both are xadds, as in
    TryAcquireVsShutdown. The warm-up pair may race the shutdown too; it changes no outcome.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t WarmTryAcquireVsShutdown \
             -jvmArgsPrepend "--enable-native-access=ALL-UNNAMED -Ddev.raceless.readside=asymmetric"

    Outcomes: TryAcquireVsShutdownOutcomes (tryAcquire under test returned, state and count at the end).
 */
@JCStressTest
@JCStressMeta(TryAcquireVsShutdownOutcomes.class)
@Description("tryAcquire() on an already-owned slot vs shutdown(): the count never dies under a granted use.")
@State
public class WarmTryAcquireVsShutdown {

    private final UseCount count = new UseCount();
    private boolean unloaderThrew;

    @Actor
    public void acquirer(ZL_Result r) {
        if (count.tryAcquire()) { // installs this thread's slot
            count.release();
        }
        r.r1 = count.tryAcquire(); // the unfenced path under test
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
