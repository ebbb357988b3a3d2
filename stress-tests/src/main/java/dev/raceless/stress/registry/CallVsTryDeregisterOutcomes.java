package dev.raceless.stress.registry;

import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Outcome;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    The outcomes of a call racing tryDeregister(), written once for CallVsTryDeregister (a
    Registration) and its broken twin BrokenCallVsTryDeregister (a flag without a use count). Both
    name this class in @JCStressMeta.

    Result (r1, r2, r3) = (the call, what tryDeregister() returned with x read after it, the
    registration at the end).

    The broken twin adds, after these, its two bad outcomes as exact ids graded
    ACCEPTABLE_INTERESTING for JcstressGate: jcstress grades a state by the outcomes whose id
    equals it first (holder first, then the test's own), then by the patterns in the same order,
    so an exact id of the twin wins over the FORBIDDEN patterns below that match the same state.
    Its flag registration never answers BUSY, so the BUSY outcomes below never reach its gate.
 */
@Description("A call vs tryDeregister(): no call runs after DEREGISTERED; BUSY changes nothing.")
@Outcome(id = ".*THREW.*", expect = FORBIDDEN, desc = "A correct release() or tryDeregister() threw.")
@Outcome(id = "called, BUSY, registered", expect = ACCEPTABLE, desc = "Call in flight: BUSY, nothing changed.")
@Outcome(id = "called, DEREGISTERED x=1, removed", expect = ACCEPTABLE,
        desc = "Call ended first; its write is visible after DEREGISTERED.")
@Outcome(id = "refused, DEREGISTERED x=0, removed", expect = ACCEPTABLE,
        desc = "Deregistered first; the call found the service gone.")
@Outcome(id = "refused, BUSY, registered", expect = ACCEPTABLE_INTERESTING,
        desc = "Spurious BUSY from a refused tryAcquire that backed out (documented).")
@Outcome(id = "CALL AFTER DEREGISTERED.*", expect = FORBIDDEN,
        desc = "The call was still running when DEREGISTERED was reported.")
@Outcome(id = "called, DEREGISTERED x=0.*", expect = FORBIDDEN,
        desc = "DEREGISTERED missed the write of a call that got in.")
@Outcome(expect = FORBIDDEN,
        desc = "Anything else: e.g. BUSY that changed the registration, DEREGISTERED that left a trace.")
final class CallVsTryDeregisterOutcomes {
    private CallVsTryDeregisterOutcomes() {
    }
}
