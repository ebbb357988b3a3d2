package dev.raceless.stress.quiescent;

import dev.raceless.grace.QuiescentDomain;
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
    QuiescentUnpublishThenFree with the reader's quiescent state reported too early, on purpose:
    the reader keeps the object it read and reports quiescent() while it still uses it (a quiescent
    state inside its use loop, the misuse QuiescentDomain's "What a reader may not do" forbids).
    The updater's grace period ends at that report and frees the object under the reader:

        reader                              updater
        o = published     -> the object
                                            published = null
                                            synchronize(): waits for the reader
        quiescent()       reports
                                            returns; o.free()
        watches o.freed   -> 1

    This test exists to prove QuiescentUnpublishThenFree can fail: its "1, 1" is the outcome that
    test forbids, and here it is expected.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t BrokenQuiescentUnpublishThenFree -m quick

    Outcomes (r1, r2) = (the reader found the object, the reader saw it freed):
      1, 0   the reader read first, and finished before the free
      0, 0   the unpublish came first
      1, 1   use-after-free, broken on purpose: expected
 */
@JCStressTest
@Description("Broken on purpose: a quiescent state reported while the object is still in use; must show "
        + "use-after-free.")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "Reader first, done before the free.")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "Unpublish first: the reader found no object.")
@Outcome(id = "1, 1", expect = ACCEPTABLE_INTERESTING, desc = "broken on purpose: expected (quiescent() while "
        + "holding the object)")
@Outcome(expect = FORBIDDEN, desc = "Impossible by construction.")
@State
public class BrokenQuiescentUnpublishThenFree {
    private static final Readers READERS = new Readers("broken-quiescent-unpublish-then-free");

    private volatile Obj published = new Obj();
    private volatile boolean ready;

    @Actor
    public void reader(II_Result r) {
        QuiescentDomain.Reader rd = READERS.offlineReader();
        rd.online();
        ready = true;
        Obj o = published;
        if (o != null) {
            r.r1 = 1;
            for (int i = 0; i < Obj.USE_READS && r.r2 == 0; i++) {
                rd.quiescent(); // wrong: o is still in use
                r.r2 = o.freedNow();
                Thread.onSpinWait();
            }
        }
        rd.quiescent();
        rd.offline();
    }

    @Actor
    public void updater() {
        while (!ready) {
            Thread.onSpinWait();
        }
        Obj o = published;
        published = null;
        READERS.domain().synchronize();
        o.free();
    }
}
