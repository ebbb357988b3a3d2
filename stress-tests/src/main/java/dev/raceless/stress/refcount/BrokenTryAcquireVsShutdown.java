package dev.raceless.stress.refcount;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZL_Result;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    BROKEN ON PURPOSE. TryAcquireVsShutdown run on a counter that orders its accesses with
    release/acquire only: the taker's up is a setRelease, its read of the state a getAcquire; the
    shutdown's state write is a setRelease, its read of the count a getAcquire. Release/acquire
    forbids neither store->load reordering, so the store buffer of each CPU can hide its write
    from the other's read: the taker reads LIVE, the counter reads zero, the count dies under a
    granted use. That is the outcome TryAcquireVsShutdown forbids.

    The bad outcome is marked ACCEPTABLE_INTERESTING so that the suite passes when it shows up;
    the gate that runs the suite (dev.raceless.stress.JcstressGate) fails the build if it did NOT
    show up, since then TryAcquireVsShutdown might be unable to fail at all.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t BrokenTryAcquireVsShutdown

    Outcomes (r1, r2) = (tryAcquire() returned true, state at the end):
      true,  GOING    taker first
      false, DEAD     shutdown first (false, GOING too: the taker's back-out came after the
                      count, and this stripped-down counter has no last-release path)
      true,  DEAD     the Dekker outcome: both missed each other (expected here, on purpose)
    Its own table, not TryAcquireVsShutdownOutcomes: this counter prints no use count, so no id of
    that table matches its states (see there).
 */
@JCStressTest
@Description("BROKEN ON PURPOSE: tryAcquire vs shutdown with release/acquire only; must show the Dekker outcome.")
@Outcome(id = "true, GOING", expect = ACCEPTABLE, desc = "Taker first.")
@Outcome(id = "false, (DEAD|GOING)", expect = ACCEPTABLE,
        desc = "Shutdown first (a back-out never ends this counter: it has no last-release path).")
@Outcome(id = "true, DEAD", expect = ACCEPTABLE_INTERESTING,
        desc = "Broken on purpose: DEAD under a granted use (store->load reordering).")
@Outcome(expect = FORBIDDEN, desc = "Not possible even for the broken counter.")
@State
public class BrokenTryAcquireVsShutdown {

    /** A one-stripe use count without the full fences: what UseCount would be with weaker writes. */
    static final class ReleaseAcquireCount {
        static final int LIVE = 0;
        static final int GOING = 1;
        static final int DEAD = 2;

        private long ups;   // written by the taker only (single writer: no xadd needed for the sum)
        private long downs; // written by the taker only
        private int state;  // written by the unloader only

        boolean tryAcquire() {
            UPS.setRelease(this, (long) UPS.getOpaque(this) + 1); // BROKEN: release store, no fence
            if ((int) STATE.getAcquire(this) == LIVE) {           // may be satisfied before the store drains
                return true;
            }
            DOWNS.setRelease(this, (long) DOWNS.getOpaque(this) + 1);
            return false;
        }

        void shutdown() {
            STATE.setRelease(this, GOING); // BROKEN: release store, no fence
            long downs = (long) DOWNS.getAcquire(this);
            if ((long) UPS.getAcquire(this) - downs == 0) {
                STATE.setRelease(this, DEAD);
            }
        }

        String state() {
            switch ((int) STATE.getVolatile(this)) {
                case LIVE:
                    return "LIVE";
                case GOING:
                    return "GOING";
                default:
                    return "DEAD";
            }
        }

        // VarHandle mechanics
        private static final VarHandle UPS;
        private static final VarHandle DOWNS;
        private static final VarHandle STATE;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                UPS = l.findVarHandle(ReleaseAcquireCount.class, "ups", long.class);
                DOWNS = l.findVarHandle(ReleaseAcquireCount.class, "downs", long.class);
                STATE = l.findVarHandle(ReleaseAcquireCount.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    private final ReleaseAcquireCount count = new ReleaseAcquireCount();

    @Actor
    public void acquirer(ZL_Result r) {
        r.r1 = count.tryAcquire();
    }

    @Actor
    public void unloader() {
        count.shutdown();
    }

    @Arbiter
    public void arbiter(ZL_Result r) {
        r.r2 = count.state();
    }
}
