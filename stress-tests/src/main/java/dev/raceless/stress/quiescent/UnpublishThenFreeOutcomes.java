package dev.raceless.stress.quiescent;

import org.openjdk.jcstress.annotations.Outcome;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;

/*
    The outcomes every quiescent-state litmus test shares, written once: each test of this package
    names this class in @JCStressMeta and adds its own "1, 1" (FORBIDDEN in a test, and
    ACCEPTABLE_INTERESTING in a broken twin, for JcstressGate) and its default.

    Result (r1, r2) = (the reader found the object, the reader saw it freed while using it).

    jcstress grades a state by the outcomes whose id equals it, holder first, then the test's: no
    test repeats an id written here.
 */
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "Reader first: the free waited for its report or its offline().")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "Unpublish first: the reader found no object.")
final class UnpublishThenFreeOutcomes {
    private UnpublishThenFreeOutcomes() {
    }
}
