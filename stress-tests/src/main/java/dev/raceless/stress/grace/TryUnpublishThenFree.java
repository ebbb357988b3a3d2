package dev.raceless.stress.grace;

import dev.raceless.grace.GraceDomain;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    UnpublishThenFree with trySynchronize(): the updater unpublishes, and frees only if
    trySynchronize() returned true. True promises that a full grace period ran within the call,
    so a reader that found the object must have ended its section before the free; false is
    allowed whenever a section was open (or being counted) during the call, and then nothing is
    freed. The same Dekker pair decides it: the reader's xadd then pointer read, the updater's
    unpublish then scan.

    Half of the states run one grace period in the constructor, so the race runs with either
    epoch index current.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t TryUnpublishThenFree

    Outcomes (r1, r2, r3) = (the reader found the object, the reader saw it freed,
                             trySynchronize() returned true):
      1, 0, 1   the reader's section ended before the scan; the grace period completed, freed
      1, 0, 0   the reader's section was open during the scan: no grace period, nothing freed
      0, 0, 1   the unpublish came first; the grace period completed
      0, 0, 0   the unpublish came first, but the reader's (empty-handed) section was counted
                during the scan: a spurious failure, allowed
      1, 1, 1   use-after-free: trySynchronize() reported a grace period that did not wait for
                a section holding the object
 */
@JCStressTest
@Description("unpublish; if (trySynchronize()) free: a reader that found the object never sees it freed.")
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "Reader ended before the scan; grace period done; freed after.")
@Outcome(id = "1, 0, 0", expect = ACCEPTABLE,
        desc = "Reader open during the scan: trySynchronize() failed, nothing freed.")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "Unpublish first; grace period done.")
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE,
        desc = "Unpublish first; the reader's empty section made the try fail (spurious, allowed).")
@Outcome(id = "1, 1, 1", expect = FORBIDDEN,
        desc = "Use-after-free: trySynchronize() returned true under a section holding the object.")
@Outcome(expect = FORBIDDEN, desc = "Impossible by construction.")
@State
public class TryUnpublishThenFree {
    private static final AtomicInteger STATES = new AtomicInteger();

    private final GraceDomain domain = new GraceDomain();
    private volatile Node published = new Node();

    public TryUnpublishThenFree() {
        if ((STATES.getAndIncrement() & 1) != 0) {
            domain.synchronize(); // start from the other epoch index
        }
    }

    @Actor
    public void reader(III_Result r) {
        int t = domain.enter();
        Node n = published;
        if (n != null) {
            r.r1 = 1;
            r.r2 = n.useAndWatch();
        }
        domain.exit(t);
    }

    @Actor
    public void updater(III_Result r) {
        Node n = published;
        published = null;
        if (domain.trySynchronize()) {
            r.r3 = 1;
            n.free();
        }
    }
}
