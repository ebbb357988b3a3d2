package dev.raceless.stress.registry;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    BROKEN ON PURPOSE. CallVsTryDeregister run on a registration that guards its service with a
    volatile "registered" flag and no use count: a call checks the flag and goes on; a
    deregistration clears the flag and reports DEREGISTERED at once (the OSGi way: no wait for
    calls in flight). New calls are refused from then on, but a call that passed the check just
    before is still running: the outcomes CallVsTryDeregister forbids show up. The flag is
    volatile, so this is not a memory-model subtlety but the missing count: the race is in plain
    program order.

    The bad outcomes are marked ACCEPTABLE_INTERESTING so that the suite passes when they show up;
    the gate that runs the suite (dev.raceless.stress.JcstressGate) fails the build if they did
    NOT show up, since then CallVsTryDeregister might be unable to fail at all.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t BrokenCallVsTryDeregister

    Outcomes (r1, r2, r3): those of CallVsTryDeregisterOutcomes, with its two bad ones graded
    ACCEPTABLE_INTERESTING here:
      called,  DEREGISTERED x=1, removed   the call ended first
      refused, DEREGISTERED x=0, removed   the deregistration came first
      called,  DEREGISTERED x=0, removed   broken on purpose: DEREGISTERED while the call ran
      CALL AFTER DEREGISTERED, ...         broken on purpose: the call saw the flag raised after
                                           DEREGISTERED was reported
 */
@JCStressTest
@JCStressMeta(CallVsTryDeregisterOutcomes.class)
@Description("BROKEN ON PURPOSE: a flag without a use count; must show a call running after DEREGISTERED.")
@Outcome(id = "called, DEREGISTERED x=0, removed", expect = ACCEPTABLE_INTERESTING,
        desc = "Broken on purpose: DEREGISTERED while the call ran.")
@Outcome(id = {"CALL AFTER DEREGISTERED, DEREGISTERED x=0, removed",
        "CALL AFTER DEREGISTERED, DEREGISTERED x=1, removed"}, expect = ACCEPTABLE_INTERESTING,
        desc = "Broken on purpose: the call was still running after DEREGISTERED.")
@Outcome(expect = FORBIDDEN, desc = "Not possible even for the broken registration.")
@State
public class BrokenCallVsTryDeregister {

    /** The registered service: a field the call writes, and the flag the deregisterer raises. */
    static final class Service {
        int x;
        volatile boolean deregistered;
    }

    /** A registration guarded by a flag only: what Registration would be without its UseCount. */
    static final class FlagRegistration {
        final Service service = new Service();
        private volatile boolean registered = true;

        boolean tryAcquire() {
            return registered; // BROKEN: nothing tells a deregistration that a call is running
        }

        void release() {
        }

        boolean tryDeregister() {
            registered = false; // new calls are refused from now on...
            return true;        // BROKEN: ...but a call that passed the check may still be running
        }
    }

    private final FlagRegistration registration = new FlagRegistration();

    @Actor
    public void caller(LLL_Result r) {
        if (!registration.tryAcquire()) {
            r.r1 = "refused";
            return;
        }
        boolean late;
        try {
            registration.service.x = 1;
            late = registration.service.deregistered;
        } finally {
            registration.release();
        }
        r.r1 = late ? "CALL AFTER DEREGISTERED" : "called";
    }

    @Actor
    public void deregisterer(LLL_Result r) {
        if (registration.tryDeregister()) {
            registration.service.deregistered = true;
            r.r2 = "DEREGISTERED x=" + registration.service.x;
        } else {
            r.r2 = "BUSY";
        }
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = registration.tryAcquire() ? "registered" : "removed";
    }
}
