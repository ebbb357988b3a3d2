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
    The grace-period guarantee itself: unpublish, synchronize(), free. The reader enters a section,
    reads the pointer and, if it found the object, uses it for a while watching its freed mark.
    The updater clears the pointer (a volatile store), calls synchronize(), then marks the object
    freed (a plain store). If the reader found the object, its section began before the
    unpublish was visible to it, hence before synchronize() could stop waiting for it: the free
    comes after the reader's exit, and the reader never sees the mark. If the reader's section is
    counted after the drain looked, it reads the pointer after the unpublish and finds null.

    The two sides are a store->load (Dekker) pair: the reader's xadd on its stripe then its read of
    the pointer; the updater's store to the pointer then its scan of the stripes. Every one of
    those is a synchronization action, so one side must see the other. BrokenUnpublishThenFree
    runs the same race on a grace mechanism with release/acquire counters and shows the forbidden
    outcome.

    Half of the states run one grace period in the constructor, so the race runs with either
    epoch index current.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t UnpublishThenFree

    Outcomes (r1, r2) = (the reader found the object, the reader saw it freed):
      1, 0   the reader's section came first; the updater waited for it, then freed
      0, 0   the unpublish came first; the reader found nothing
      1, 1   use-after-free: synchronize() returned while a section that held the object ran
 */
@JCStressTest
@Description("unpublish; synchronize(); free: a reader that found the object never sees it freed.")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "Reader first: it used the object; the free waited for its exit.")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "Unpublish first: the reader found no object.")
@Outcome(id = "1, 1", expect = FORBIDDEN,
        desc = "Use-after-free: the free did not wait for a section that held the object.")
@Outcome(expect = FORBIDDEN, desc = "Impossible by construction.")
@State
public class UnpublishThenFree {
    private static final AtomicInteger STATES = new AtomicInteger();

    private final GraceDomain domain = new GraceDomain();
    private volatile Node published = new Node();

    public UnpublishThenFree() {
        if ((STATES.getAndIncrement() & 1) != 0) {
            domain.synchronize(); // start from the other epoch index
        }
    }

    @Actor
    public void reader(II_Result r) {
        int t = domain.enter();
        Node n = published;
        if (n != null) {
            r.r1 = 1;
            r.r2 = n.useAndWatch();
        }
        domain.exit(t);
    }

    @Actor
    public void updater() {
        Node n = published;
        published = null;     // unpublish: volatile store
        domain.synchronize(); // wait for every section that may still hold n
        n.free();             // plain store
    }
}
