package dev.raceless.stress.registry;

import dev.raceless.registry.DeregisterResult;
import dev.raceless.registry.Registration;
import dev.raceless.registry.Registry;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/*
    Werner Almesberger's rule on one registration: a call into a registered service (tryAcquire,
    work, release) races with the module's tryDeregister(). DEREGISTERED must mean that no call is
    running and none can start; BUSY must mean that nothing changed.

    The caller writes the service's field x inside the call and reads the service's 'deregistered'
    flag last before it releases. The deregisterer sets that flag as soon as tryDeregister()
    returned DEREGISTERED and then reads x. So a call still running after a DEREGISTERED result
    shows either as a call that saw the flag, or as a DEREGISTERED that missed the call's write
    (the call's actions must happen-before the result). BrokenCallVsTryDeregister runs the same
    race on a registry that checks a flag without a use count and shows both.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t CallVsTryDeregister

    Outcomes (r1, r2, r3) = (the call, what tryDeregister() returned with x read after it, the
    registration at the end):
      called,  BUSY,             registered   the call was in flight: nothing changed
      called,  DEREGISTERED x=1, removed      the call ended before the attempt counted
      refused, DEREGISTERED x=0, removed      the attempt came first; the call found the service gone
      refused, BUSY,             registered   spurious BUSY: the caller's tryAcquire raced the
                                              attempt, was refused and backed out, but the attempt
                                              counted it (documented; retrying is always safe)
    Anything else is forbidden, e.g. "CALL AFTER DEREGISTERED", "called, DEREGISTERED x=0", a BUSY
    that left the registration changed, or a release() that threw (THREW).
 */
@JCStressTest
@JCStressMeta(CallVsTryDeregisterOutcomes.class)
@Description("A call vs tryDeregister(): no call runs after DEREGISTERED; BUSY changes nothing.")
@State
public class CallVsTryDeregister {

    /** The registered service: a field the call writes, and the flag the deregisterer raises. */
    static final class Service {
        int x;                        // plain: ordered only by the registration's use count
        volatile boolean deregistered;
    }

    private final Service service = new Service();
    private final Registry<Service> registry = new Registry<>();
    private final Registration<Service> registration = registry.register(service);

    @Actor
    public void caller(LLL_Result r) {
        if (!registration.tryAcquire()) {
            r.r1 = "refused";
            return;
        }
        boolean late;
        try {
            registration.service().x = 1;
            late = registration.service().deregistered; // read last, just before release
        } finally {
            try {
                registration.release();
            } catch (IllegalStateException e) {
                r.r1 = "THREW";
                return;
            }
        }
        r.r1 = late ? "CALL AFTER DEREGISTERED" : "called";
    }

    @Actor
    public void deregisterer(LLL_Result r) {
        DeregisterResult result;
        try {
            result = registration.tryDeregister();
        } catch (IllegalStateException e) {
            r.r2 = "THREW";
            return;
        }
        if (result == DeregisterResult.DEREGISTERED) {
            service.deregistered = true;
            r.r2 = "DEREGISTERED x=" + service.x;
        } else {
            r.r2 = result.name();
        }
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = RegistrationView.of(registration);
    }
}
