package dev.raceless.stress.readside;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

/*
    BROKEN ON PURPOSE. AsymmetricDekker's ASYMMETRIC reader (a release store, then a volatile load,
    no fence) against an updater WITHOUT the heavy barrier: nothing drains the reader's store
    buffer, so both sides can miss each other. Shows that AsymmetricDekker can fail, i.e. that its
    (0, 0) is kept away by the membarrier and not by luck. The gate (dev.raceless.stress.JcstressGate)
    fails the build if (0, 0) never shows up. Runs the same in every flavour: it calls no library code.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t BrokenAsymmetricDekker

    Outcomes (r1, r2) = (word the reader read, slot the updater read):
      0, 0   expected here, on purpose: the reordering the heavy barrier exists to exclude
 */
@JCStressTest
@Description("BROKEN ON PURPOSE: the asymmetric reader against an updater without membarrier; must show (0, 0).")
@Outcome(id = {"1, 1", "0, 1", "1, 0"}, expect = ACCEPTABLE, desc = "At least one side saw the other.")
@Outcome(id = "0, 0", expect = ACCEPTABLE_INTERESTING,
        desc = "Broken on purpose: no heavy barrier, store->load reordering.")
@State
public class BrokenAsymmetricDekker {
    private long slot;
    private volatile long word;

    @Actor
    public void reader(JJ_Result r) {
        SLOT.setRelease(this, 1L);
        r.r1 = word;
    }

    @Actor
    public void updater(JJ_Result r) {
        word = 1L;
        // BROKEN: no Flavour.heavyBarrier() here
        r.r2 = (long) SLOT.getAcquire(this);
    }

    private static final VarHandle SLOT;

    static {
        try {
            SLOT = MethodHandles.lookup().findVarHandle(BrokenAsymmetricDekker.class, "slot", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
