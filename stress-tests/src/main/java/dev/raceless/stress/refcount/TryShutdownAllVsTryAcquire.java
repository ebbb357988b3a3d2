package dev.raceless.stress.refcount;

import dev.raceless.refcount.UseCount;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZL_Result;

import java.util.List;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    TryAcquireVsTryShutdown for a batch: UseCount.tryShutdownAll(a, b), which pays the read side's
    heavy barrier once for both counts, against a tryAcquire() on b through the taker's
    UseCount.Local (made first, so the take under test is the unfenced store in ASYMMETRIC). All or
    nothing across the batch: true means both DEAD and no use granted; false leaves both LIVE.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t TryShutdownAllVsTryAcquire \
             -jvmArgsPrepend "--enable-native-access=ALL-UNNAMED -Ddev.raceless.readside=asymmetric"

    Outcomes (r1, r2, r3) = (tryAcquire on b returned, tryShutdownAll returned, "a-view / b-view").
 */
@JCStressTest
@Description("tryShutdownAll([a, b]) vs tryAcquire() on b: all or nothing across the batch, one heavy barrier.")
@Outcome(id = Calls.THREW_PATTERN, expect = FORBIDDEN,
        desc = "tryShutdownAll() threw: a correct call taken for misuse.")
@Outcome(id = "true, false, LIVE 0 / LIVE 1", expect = ACCEPTABLE,
        desc = "Taker won: the batch was busy, both counts LIVE as before.")
@Outcome(id = "false, true, DEAD 0 done / DEAD 0 done", expect = ACCEPTABLE,
        desc = "Unloader won: the take refused, both counts DEAD.")
@Outcome(id = "false, false, LIVE 0 / LIVE 0", expect = ACCEPTABLE_INTERESTING,
        desc = "Both failed spuriously (allowed, as for tryShutdown): both LIVE.")
@Outcome(id = "true, true, .*", expect = FORBIDDEN,
        desc = "Both won: a use granted in a life that tryShutdownAll() ended.")
@Outcome(expect = FORBIDDEN, desc = "Not all or nothing, a wrong use count, or state and termination disagree.")
@State
public class TryShutdownAllVsTryAcquire {

    private final UseCount a = new UseCount();
    private final UseCount b = new UseCount();
    private boolean unloaderThrew; // written by one actor, read by the arbiter after it

    @Actor
    public void acquirer(ZZL_Result r) {
        UseCount.Local local = b.local(); // registers this thread's slot of b
        r.r1 = local.tryAcquire();
    }

    @Actor
    public void unloader(ZZL_Result r) {
        try {
            r.r2 = UseCount.tryShutdownAll(List.of(a, b));
        } catch (IllegalStateException e) {
            unloaderThrew = true;
        }
    }

    @Arbiter
    public void arbiter(ZZL_Result r) {
        r.r3 = CountView.of(a) + " / " + CountView.of(b) + Calls.mark(unloaderThrew);
    }
}
