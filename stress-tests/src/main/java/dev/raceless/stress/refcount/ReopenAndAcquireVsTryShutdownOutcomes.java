package dev.raceless.stress.refcount;

import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Outcome;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    The outcomes of a reopen racing tryShutdown(), written once for ReopenAndAcquireVsTryShutdown
    (one step: reopenAndAcquire()) and its broken twin BrokenReopenThenAcquire (two steps: reopen(),
    then tryAcquire()). Both name this class in @JCStressMeta.

    Result (r1, r2, r3) = (the reopen and its use, tryShutdown(), CountView of the count at the end).

    The broken twin adds, after these, the outcomes of its window ("false, true, DEAD 0 done",
    ACCEPTABLE_INTERESTING for JcstressGate) and of its spurious failure ("false, false, LIVE 0").
    jcstress grades a state by the outcomes whose id equals it first, in declaration order, holder
    first, then by the patterns in the same order, then by the default, which a test's own default
    replaces; every id here that the twin overrides is therefore a pattern or absent, never an
    exact id it repeats.
 */
@Description("reopenAndAcquire() vs tryShutdown(): the new life is never found idle; it stays LIVE with its use.")
@Outcome(id = "true, true, LIVE 1", expect = ACCEPTABLE,
        desc = "tryShutdown first: it found the old life DEAD; the new life holds its use.")
@Outcome(id = "true, false, LIVE 1", expect = ACCEPTABLE,
        desc = "Reopen first: the new life is busy with the caller's use.")
@Outcome(id = "true, true, DEAD .*", expect = FORBIDDEN, desc = "The new life was shut down with its use held.")
@Outcome(expect = FORBIDDEN, desc = "The reopen failed, or the count ended in another state.")
final class ReopenAndAcquireVsTryShutdownOutcomes {
    private ReopenAndAcquireVsTryShutdownOutcomes() {
    }
}
