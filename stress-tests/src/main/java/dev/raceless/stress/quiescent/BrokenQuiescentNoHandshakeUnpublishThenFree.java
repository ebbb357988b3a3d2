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
    BROKEN ON PURPOSE. QuiescentNoHandshakeUnpublishThenFree with the report moved into the use:
    the reader reports quiescent() before each look at the object it holds, which is what a report
    store that is not a release would let the hardware or the compiler do to the reader's loads.
    With no handshake the grace period can begin at any point; when it begins while the reader
    holds the object, it ends at the first report that reads the new counter, and the free lands
    under the reader's use. The use is four times as long as the test's: with no handshake the
    grace period must begin while the reader holds the object, and in the ASYMMETRIC flavour a
    grace period that finds the reader offline first runs a membarrier, which makes that rare.

    The gate (dev.raceless.stress.JcstressGate) requires "1, 1", the outcome
    QuiescentNoHandshakeUnpublishThenFree forbids: that test can see a use-after-free without the
    handshake's help.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t BrokenQuiescentNoHandshakeUnpublishThenFree -m quick

    Outcomes (r1, r2): UnpublishThenFreeOutcomes, and
      1, 1   use-after-free, broken on purpose: expected
 */
@JCStressTest
@JCStressMeta(UnpublishThenFreeOutcomes.class)
@Description("Broken on purpose: with no handshake, a quiescent state reported while the object is still in "
        + "use; must show use-after-free.")
@Outcome(id = "1, 1", expect = ACCEPTABLE_INTERESTING, desc = "broken on purpose: expected (quiescent() during "
        + "the use)")
@Outcome(expect = FORBIDDEN, desc = "Impossible by construction.")
@State
public class BrokenQuiescentNoHandshakeUnpublishThenFree extends UnpublishThenFreeRace {
    private static final Readers READERS = new Readers("broken-quiescent-no-handshake-unpublish-then-free");

    @Actor
    public void reader(II_Result r) {
        QuiescentDomain.Reader rd = READERS.offlineReader();
        rd.online();
        BrokenQuiescentUnpublishThenFree.reportDuringUse(rd, read(r), r, 4 * Obj.USE_READS);
        rd.offline();
    }

    @Actor
    public void updater() {
        unpublishThenFree(READERS.domain());
    }
}
