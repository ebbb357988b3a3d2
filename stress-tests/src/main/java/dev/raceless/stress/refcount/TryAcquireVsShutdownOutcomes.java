package dev.raceless.stress.refcount;

import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Outcome;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    The outcomes of the tryAcquire() vs shutdown() race, written once for every test of it on the
    real UseCount: TryAcquireVsShutdown (a fresh slot: the up is fenced), WarmTryAcquireVsShutdown
    (the thread's slot exists: the steady-state up) and LocalTryAcquireVsShutdown (the up through
    the thread's UseCount.Local). Each names this class in @JCStressMeta and keeps its own
    @Description, which jcstress reads after the holder's and so prints.

    Result (r1, r2) = (tryAcquire() under test returned, CountView of the count at the end, with
    Calls.THREW appended if shutdown() threw).

    BrokenTryAcquireVsShutdown keeps a table of its own: its stripped-down counter prints the state
    only ("true, DEAD", no use count), so every state it can show would need an exact id of its own
    to override these patterns (jcstress grades by exact ids first, holder before test, then by
    patterns in the same order), and nothing would be shared.
 */
@Description("tryAcquire() vs shutdown(): the count never dies under a use that tryAcquire() granted.")
@Outcome(id = Calls.THREW_PATTERN, expect = FORBIDDEN, desc = "shutdown() threw: a correct call taken for misuse.")
@Outcome(id = "true, GOING 1", expect = ACCEPTABLE, desc = "Use taken before the shutdown: GOING with one use held.")
@Outcome(id = "false, DEAD 0 done", expect = ACCEPTABLE,
        desc = "Shutdown first: tryAcquire refused, count DEAD, termination done.")
@Outcome(id = "true, DEAD.*", expect = FORBIDDEN, desc = "DEAD while the acquirer holds a use: the Dekker outcome.")
@Outcome(id = "false, GOING.*", expect = FORBIDDEN,
        desc = "No use held, shutdown returned, yet not DEAD: a back-out lost the last release.")
@Outcome(expect = FORBIDDEN, desc = "Wrong use count, or state and termination disagree.")
final class TryAcquireVsShutdownOutcomes {
    private TryAcquireVsShutdownOutcomes() {
    }
}
