package dev.raceless.stress.grace;

import dev.raceless.grace.GraceDomain;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    The late reader of the old epoch index: why a grace period drains the inactive index first
    (step (a) of GraceDomain's notes).

    The race in the wild: a reader reads current == X, stalls before its xadd, and a whole grace
    period flips current to X^1 and drains X without seeing it. The reader then counts on X and
    reads the pointer. That is harmless for the grace period it missed, but it is now a section
    open on X, the inactive index. The next synchronize() flips back to X and drains X^1; without
    step (a) it never looks at X, returns, and the updater frees what the reader is using.

    Why this test does not wait for that stall: with two actors the stall has to fall between one
    volatile load and one xadd inside enter() while the other actor runs a full grace period,
    which jcstress reaches too rarely to count on. (GraceTortureStress runs more threads than
    cores, so its readers are sometimes preempted right there; but nothing outside GraceDomain can
    tell when that happened.) What the stall leaves behind is a state: a section open on the
    index that is not current. The state constructor builds that state directly, through the documented behaviour
    of a failed trySynchronize() ("leaves the flip done"):

        enter()            -> a section counted on X = current
        trySynchronize()   -> (a) X^1 empty, (b) current = X^1, (c) X busy: false
                              now current == X^1 and the section is open on X: a late reader

    and checks it (a probe enter() after the flip must count on the other index, so its token
    differs). The reader actor then uses that section (it began before the updater was called,
    so synchronize() must wait for it) and ends it on its own thread. Half the states first run
    one grace period, so X is 0 in some and 1 in others.

    With step (a), synchronize() drains X, so it waits for the reader's exit. Without it (see
    BrokenLateReaderOldEpoch, same shape on MiniGrace with Flaw NO_STEP_A) the free overtakes
    the reader.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t LateReaderOldEpoch

    Outcomes (r1, r2) = (the late reader found the object, the late reader saw it freed):
      1, 0   the reader read the pointer before the unpublish; the free waited for its exit
      0, 0   the unpublish came first; the reader found nothing
      1, 1   use-after-free: the grace period did not drain the inactive index first
 */
@JCStressTest
@Description("A section open on the inactive epoch index (a late reader) is waited for by the next synchronize().")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "Late reader found the object; the free waited for its exit.")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "Unpublish first: the late reader found no object.")
@Outcome(id = "1, 1", expect = FORBIDDEN,
        desc = "Use-after-free: synchronize() skipped the section on the inactive index.")
@Outcome(expect = FORBIDDEN, desc = "Impossible by construction.")
@State
public class LateReaderOldEpoch {
    private static final AtomicInteger STATES = new AtomicInteger();

    private final GraceDomain domain = new GraceDomain();
    private volatile Node published = new Node();
    private final int lateToken;

    public LateReaderOldEpoch() {
        if ((STATES.getAndIncrement() & 1) != 0) {
            domain.synchronize(); // X = 1 in this state, 0 in the others
        }
        lateToken = domain.enter();
        if (domain.trySynchronize()) {
            throw new IllegalStateException("trySynchronize() succeeded with a section open");
        }
        int probe = domain.enter();
        domain.exit(probe);
        if (probe == lateToken) { // tokens of one index are equal without the debug property
            throw new IllegalStateException("setup: the failed trySynchronize() did not flip the index");
        }
    }

    @Actor
    public void lateReader(II_Result r) {
        Node n = published;
        if (n != null) {
            r.r1 = 1;
            r.r2 = n.useAndWatch();
        }
        domain.exit(lateToken);
    }

    @Actor
    public void updater() {
        Node n = published;
        published = null;
        domain.synchronize();
        n.free();
    }
}
