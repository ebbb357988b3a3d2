package dev.raceless.stress.registry;

import dev.raceless.registry.DeregisterResult;
import dev.raceless.registry.Registration;
import dev.raceless.registry.RegistrationGroup;
import dev.raceless.registry.Registry;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    All or nothing across registries. A module has one registration in each of two registries,
    grouped; a subsystem calls into both (one call into each, in turn) while the module's
    tryDeregisterAll() runs. The attempt stops the members one by one, so after it has stopped
    the first and found the second busy it must reopen the first: the outcome to rule out is a
    partial deregistration (exactly one member gone), or DEREGISTERED while a call ran.

    Each call writes its service's x and reads its service's 'deregistered' flag last before it
    releases; after DEREGISTERED the module raises both flags and reads both x. A call that ran
    after DEREGISTERED shows as '!', a DEREGISTERED that missed a call's write as a 0 where the
    call was made.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t TryDeregisterAllVsCalls

    Outcomes (r1, r2, r3) = (the calls into A and B: c called, - refused, ! called after
    DEREGISTERED; what tryDeregisterAll() returned, with xA xB read after DEREGISTERED; the two
    registrations at the end):
      cc|c-|-c|--, DEREGISTERED <x matches the c's>, removed removed
                                the calls that got in ended before the attempt counted them
      c?|?c,       BUSY,        registered registered
                                a call was in flight: both members as before (one of them may
                                have been stopped and reopened in between: briefly absent)
      --,          BUSY,        registered registered
                                spurious BUSY (a refused call backed out while counted)
    Forbidden: one member removed and the other not, a '!', a 0 for a call that was made, a
    release() that threw.
 */
@JCStressTest
@Description("Calls into two registries vs the group's tryDeregisterAll(): never a partial deregistration.")
@Outcome(id = ".*THREW.*", expect = FORBIDDEN, desc = "A correct release() or tryDeregisterAll() threw.")
@Outcome(id = ".*!.*", expect = FORBIDDEN, desc = "A call was running after DEREGISTERED was reported.")
@Outcome(id = ".*INCONSISTENT.*", expect = FORBIDDEN, desc = "A registration left half deregistered.")
@Outcome(id = ".*, (registered removed|removed registered)", expect = FORBIDDEN,
        desc = "Partial deregistration: exactly one member gone.")
@Outcome(id = {"cc, DEREGISTERED 11, removed removed", "c-, DEREGISTERED 10, removed removed",
        "-c, DEREGISTERED 01, removed removed", "--, DEREGISTERED 00, removed removed"},
        expect = ACCEPTABLE, desc = "All deregistered; every call that got in ended first and is visible.")
@Outcome(id = {"cc, BUSY, registered registered", "c-, BUSY, registered registered",
        "-c, BUSY, registered registered"},
        expect = ACCEPTABLE, desc = "A call was in flight: BUSY, both members as before.")
@Outcome(id = "--, BUSY, registered registered", expect = ACCEPTABLE_INTERESTING,
        desc = "Spurious BUSY: a refused call backed out while the attempt counted it (documented).")
@Outcome(expect = FORBIDDEN, desc = "Anything else: e.g. DEREGISTERED that missed a call's write.")
@State
public class TryDeregisterAllVsCalls {

    /** A registered service: a field the call writes, and the flag the module raises. */
    static final class Service {
        int x;
        volatile boolean deregistered;
    }

    private final Registration<Service> a = new Registry<Service>().register(new Service());
    private final Registration<Service> b = new Registry<Service>().register(new Service());
    private final RegistrationGroup group = new RegistrationGroup();

    public TryDeregisterAllVsCalls() {
        group.add(a);
        group.add(b);
    }

    /** One call: 'c' (called), '-' (refused), '!' (ran after DEREGISTERED), 'T' (release threw). */
    private static char call(Registration<Service> r) {
        if (!r.tryAcquire()) {
            return '-';
        }
        boolean late;
        try {
            r.service().x = 1;
            late = r.service().deregistered;
        } finally {
            try {
                r.release();
            } catch (IllegalStateException e) {
                return 'T';
            }
        }
        return late ? '!' : 'c';
    }

    @Actor
    public void caller(LLL_Result r) {
        String calls = "" + call(a) + call(b);
        r.r1 = calls.indexOf('T') >= 0 ? calls + " THREW" : calls;
    }

    @Actor
    public void module(LLL_Result r) {
        DeregisterResult result;
        try {
            result = group.tryDeregisterAll();
        } catch (IllegalStateException e) {
            r.r2 = "THREW";
            return;
        }
        if (result == DeregisterResult.DEREGISTERED) {
            a.service().deregistered = true;
            b.service().deregistered = true;
            r.r2 = "DEREGISTERED " + a.service().x + b.service().x;
        } else {
            r.r2 = result.name();
        }
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = RegistrationView.of(a) + " " + RegistrationView.of(b);
    }
}
