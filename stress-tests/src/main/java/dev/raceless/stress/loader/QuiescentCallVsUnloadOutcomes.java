package dev.raceless.stress.loader;

import org.openjdk.jcstress.annotations.Outcome;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    The outcomes of an uncounted call racing unload(), written once for QuiescentCallVsUnload and
    its broken twin BrokenQuiescentCallVsUnload. Both name this class in @JCStressMeta and add,
    after these, the call into a destroyed instance (DESTROYED) and the destroy under a call or two
    live instances (VIOLATION): FORBIDDEN in the test, ACCEPTABLE_INTERESTING in the twin for
    JcstressGate. jcstress grades a state by the outcomes whose id equals it first (holder first,
    then the test's own), then by the patterns in the same order: THREW here, then the test's
    DESTROYED and VIOLATION, then its "anything else".

    Result (r1, r2, r3) = (the instance the call reached, what unload returned, the key at the end).
 */
@Outcome(id = ".*THREW.*", expect = FORBIDDEN, desc = "A correct call or unload threw.")
@Outcome(id = "1, UNLOADED, none live=0", expect = ACCEPTABLE,
        desc = "The call reached #1 before its destroy (in QuiescentCallVsUnload the unload's grace period "
                + "waited for the caller's quiescent state).")
@Outcome(id = "2, UNLOADED, loaded #2 live=1", expect = ACCEPTABLE,
        desc = "The call was counted: it waited for #1's destroy, got a fresh #2.")
final class QuiescentCallVsUnloadOutcomes {
    private QuiescentCallVsUnloadOutcomes() {
    }
}
