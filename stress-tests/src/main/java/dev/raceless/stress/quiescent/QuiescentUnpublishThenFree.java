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
    A reader between two quiescent states against unpublish; synchronize(); free. The reader comes
    online and raises `ready`; the updater waits for `ready`, so its grace period begins while the
    reader is online. The reader then reads the pointer with no call and no fence, uses what it
    found, and reports quiescent() (then goes offline, so that no grace period of a later state
    waits on the harness). The updater clears the pointer, calls synchronize() and frees.

    The claim (docs/quiescent-domain.md, "Quiescent state"): the grace period waits for a report of
    the new counter value, a volatile store made after the reader's reads and read by the scan
    with a volatile load, so the use happens-before the free; a reader whose quiescent() read the
    new counter reads the pointer after it and finds null. QuiescentNoHandshakeUnpublishThenFree
    runs the same reader without the handshake. BrokenQuiescentUnpublishThenFree reports the
    quiescent state while it still uses the object and shows the forbidden outcome.

    How to run this test (both flavours):
       $ java -jar stress-tests/target/jcstress.jar -t QuiescentUnpublishThenFree -m quick
       $ /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar stress-tests/target/jcstress.jar \
             -t QuiescentUnpublishThenFree -m quick \
             -jvmArgsPrepend "--enable-native-access=ALL-UNNAMED -Ddev.raceless.readside=asymmetric"

    Outcomes (r1, r2): UnpublishThenFreeOutcomes, and
      1, 1   use-after-free: synchronize() returned while an online reader held the object
 */
@JCStressTest
@JCStressMeta(UnpublishThenFreeOutcomes.class)
@Description("read between quiescent states vs unpublish; synchronize(); free: a reader that found the object "
        + "never sees it freed.")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "Use-after-free: the grace period did not wait for the reader.")
@Outcome(expect = FORBIDDEN, desc = "Impossible by construction.")
@State
public class QuiescentUnpublishThenFree extends UnpublishThenFreeRace {
    private static final Readers READERS = new Readers("quiescent-unpublish-then-free");

    @Actor
    public void reader(II_Result r) {
        QuiescentDomain.Reader rd = READERS.offlineReader();
        rd.online();
        raiseReady(); // the updater's grace period begins after this: the reader is online
        use(read(r), r);
        rd.quiescent();
        rd.offline();
    }

    @Actor
    public void updater() {
        awaitReady();
        unpublishThenFree(READERS.domain());
    }
}
