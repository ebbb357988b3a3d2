package dev.raceless.stress.grace;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    LateReaderOldEpoch on a grace mechanism that is broken on purpose (MiniGrace, Flaw
    NO_STEP_A): full fences everywhere, but a grace period flips to the inactive index without
    draining it first. The state constructor leaves a section open on the inactive index, exactly
    as in LateReaderOldEpoch; synchronize() then flips onto it, drains only the other index, and
    returns at once, so the free races the reader's use.

    This test exists to prove LateReaderOldEpoch can fail: its "1, 1" is the outcome that test
    forbids, and here it is expected (often: no hardware reordering is needed).

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t BrokenLateReaderOldEpoch

    Outcomes (r1, r2) = (the late reader found the object, the late reader saw it freed):
      1, 0   the reader finished using it before the free landed (by luck here)
      0, 0   the unpublish came first
      1, 1   use-after-free, broken on purpose: expected
 */
@JCStressTest
@Description("Broken on purpose: LateReaderOldEpoch on a grace mechanism without step (a); must show use-after-free.")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "The reader finished before the free landed (luck).")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "Unpublish first: the late reader found no object.")
@Outcome(id = "1, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "broken on purpose: expected (no drain of the inactive index)")
@Outcome(expect = FORBIDDEN, desc = "Impossible by construction.")
@State
public class BrokenLateReaderOldEpoch {

    private final MiniGrace grace = new MiniGrace(MiniGrace.Flaw.NO_STEP_A);
    private volatile Node published = new Node();
    private final int lateToken;

    public BrokenLateReaderOldEpoch() {
        lateToken = grace.enter(); // on index 0
        if (grace.trySynchronize()) { // flips to 1; index 0 busy: false
            throw new IllegalStateException("trySynchronize() succeeded with a section open");
        }
    }

    @Actor
    public void lateReader(II_Result r) {
        Node n = published;
        if (n != null) {
            r.r1 = 1;
            r.r2 = n.useAndWatch();
        }
        grace.exit(lateToken);
    }

    @Actor
    public void updater() {
        Node n = published;
        published = null;
        grace.synchronize();
        n.free();
    }
}
