package dev.raceless.stress.quiescent;

import dev.raceless.grace.QuiescentDomain;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    QuiescentUnpublishThenFree without the handshake: the reader goes online(), reads the pointer,
    uses what it found, reports quiescent() and goes offline(); the updater clears the pointer,
    calls synchronize() and frees, at any point of that. The grace period may begin while the
    reader is offline (the online Dekker decides), while it is online before its read, or while it
    uses the object; and it may end at the reader's quiescent() report, before its offline(). That
    last case is the one the quiescent-state rule has to cover on its own: the reads the reader
    made before the report must be ordered before the updater's free (docs/quiescent-domain.md,
    "Quiescent state": the report is a volatile store after them, the scan a volatile load).

    Broken twin: BrokenQuiescentNoHandshakeUnpublishThenFree reports during the use, the order a
    report that is not a release would allow. The direct form, a plain store instead of the
    volatile one, is not kept as a twin: on x86 the processor keeps loads before later stores
    (TSO), so only the compiler could move the use below the report, and a twin that fails only
    when C2 happens to schedule it so would not fail reliably enough for the gate.

    How to run this test (both flavours):
       $ java -jar stress-tests/target/jcstress.jar -t QuiescentNoHandshakeUnpublishThenFree -m quick
       $ /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar stress-tests/target/jcstress.jar \
             -t QuiescentNoHandshakeUnpublishThenFree -m quick \
             -jvmArgsPrepend "--enable-native-access=ALL-UNNAMED -Ddev.raceless.readside=asymmetric"

    Outcomes (r1, r2): UnpublishThenFreeOutcomes, and
      1, 1   use-after-free: synchronize() returned at a report that did not order the reader's use
 */
@JCStressTest
@JCStressMeta(UnpublishThenFreeOutcomes.class)
@Description("online(); read; use; quiescent(); offline() vs unpublish; synchronize(); free, with no handshake: a "
        + "reader that found the object never sees it freed.")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "Use-after-free: the grace period ended before the reader's use.")
@Outcome(expect = FORBIDDEN, desc = "Impossible by construction.")
@State
public class QuiescentNoHandshakeUnpublishThenFree extends UnpublishThenFreeRace {
    private static final Readers READERS = new Readers("quiescent-no-handshake-unpublish-then-free");

    @Actor
    public void reader(II_Result r) {
        QuiescentDomain.Reader rd = READERS.offlineReader();
        rd.online();
        use(read(r), r);
        rd.quiescent(); // the grace period may end here, with the reader still online
        rd.offline();
    }

    @Actor
    public void updater() {
        unpublishThenFree(READERS.domain());
    }
}
