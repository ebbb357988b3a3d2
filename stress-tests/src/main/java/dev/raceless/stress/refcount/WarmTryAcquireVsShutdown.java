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

    Outcomes as in TryAcquireVsShutdown: (tryAcquire under test returned, state and count at the end).
 */
@JCStressTest
@Description("tryAcquire() on an already-owned slot vs shutdown(): the count never dies under a granted use.")
@Outcome(id = Calls.THREW_PATTERN, expect = FORBIDDEN, desc = "shutdown() threw: a correct call taken for misuse.")
@Outcome(id = "true, GOING 1", expect = ACCEPTABLE, desc = "Use taken before the shutdown: GOING with one use held.")
@Outcome(id = "false, DEAD 0 done", expect = ACCEPTABLE, desc = "Shutdown first: tryAcquire refused, count DEAD, termination done.")
@Outcome(id = "true, DEAD.*", expect = FORBIDDEN, desc = "DEAD while the acquirer holds a use: the Dekker outcome.")
@Outcome(id = "false, GOING.*", expect = FORBIDDEN, desc = "No use held, shutdown returned, yet not DEAD: a back-out lost the last release.")
@Outcome(expect = FORBIDDEN, desc = "Wrong use count, or state and termination disagree.")
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
