package dev.raceless.stress.quiescent;

import dev.raceless.grace.QuiescentDomain;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    BROKEN ON PURPOSE. QuiescentUnpublishThenFree with the reader's quiescent state reported too
    early: the reader keeps the object it read and reports quiescent() while it still uses it (a
    quiescent state inside its use, the misuse QuiescentDomain's "What a reader may not do"
    forbids). The updater's grace period ends at that report and frees the object under the reader:

        reader                              updater
        o = published     -> the object
                                            published = null
                                            synchronize(): waits for the reader
        quiescent()       reports
                                            returns; o.free()
        watches o.freed   -> 1

    The gate (dev.raceless.stress.JcstressGate) requires "1, 1", the outcome
    QuiescentUnpublishThenFree forbids: that test can see a use-after-free.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t BrokenQuiescentUnpublishThenFree -m quick

    Outcomes (r1, r2): UnpublishThenFreeOutcomes, and
      1, 1   use-after-free, broken on purpose: expected
 */
@JCStressTest
@JCStressMeta(UnpublishThenFreeOutcomes.class)
@Description("Broken on purpose: a quiescent state reported while the object is still in use; must show "
        + "use-after-free.")
@Outcome(id = "1, 1", expect = ACCEPTABLE_INTERESTING, desc = "broken on purpose: expected (quiescent() while "
        + "holding the object)")
@Outcome(expect = FORBIDDEN, desc = "Impossible by construction.")
@State
public class BrokenQuiescentUnpublishThenFree extends UnpublishThenFreeRace {
    private static final Readers READERS = new Readers("broken-quiescent-unpublish-then-free");

    @Actor
    public void reader(II_Result r) {
        QuiescentDomain.Reader rd = READERS.offlineReader();
        rd.online();
        raiseReady();
        reportDuringUse(rd, read(r), r, Obj.USE_READS);
        rd.offline();
    }

    @Actor
    public void updater() {
        awaitReady();
        unpublishThenFree(READERS.domain());
    }

    /**
     * The broken reader's use: {@code looks} looks at the object, each after a quiescent state
     * (wrong: the object is in use).
     */
    static void reportDuringUse(QuiescentDomain.Reader rd, Obj o, II_Result r, int looks) {
        if (o != null) {
            for (int i = 0; i < looks && r.r2 == 0; i++) {
                rd.quiescent(); // wrong: o is still in use
                r.r2 = o.freedNow();
                Thread.onSpinWait();
            }
        }
        rd.quiescent();
    }
}
