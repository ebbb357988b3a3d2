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
    UnpublishThenFree on a grace mechanism that is broken on purpose (MiniGrace, Flaw
    RELEASE_ACQUIRE): the reader's enter is a release store, the drain reads acquire. The
    protocol is otherwise GraceDomain's (two indices; drain, flip, drain). Release/acquire does
    not order the reader's store to its count before its load of the pointer, so this can
    happen:

        reader                              updater
        ups[0] = 1        (store buffered)
        n = published     -> the object
                                            published = null
                                            synchronize(): ups[0] reads 0, done
                                            n.free()
        watches n.freed   -> 1              (the reader's store to ups[0] lands here)

    This test exists to prove UnpublishThenFree can fail: its "1, 1" is the outcome that test
    forbids, and here it is expected. On x86 it needs a store-buffer race, so expect it at a low
    rate (see the results in the report); on weaker hardware it is more common.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t BrokenUnpublishThenFree

    Outcomes (r1, r2) = (the reader found the object, the reader saw it freed):
      1, 0   reader first, and the drain saw it
      0, 0   unpublish first
      1, 1   use-after-free, broken on purpose: expected
 */
@JCStressTest
@Description("Broken on purpose: UnpublishThenFree on a release/acquire grace mechanism; must show use-after-free.")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "Reader first: the drain saw it.")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "Unpublish first: the reader found no object.")
@Outcome(id = "1, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "broken on purpose: expected (use-after-free through release/acquire counters)")
@Outcome(expect = FORBIDDEN, desc = "Impossible by construction.")
@State
public class BrokenUnpublishThenFree {

    private final MiniGrace grace = new MiniGrace(MiniGrace.Flaw.RELEASE_ACQUIRE);
    private volatile Node published = new Node();

    @Actor
    public void reader(II_Result r) {
        int t = grace.enter();
        Node n = published;
        if (n != null) {
            r.r1 = 1;
            r.r2 = n.useAndWatch();
        }
        grace.exit(t);
    }

    @Actor
    public void updater() {
        Node n = published;
        published = null;
        grace.synchronize();
        n.free();
    }
}
