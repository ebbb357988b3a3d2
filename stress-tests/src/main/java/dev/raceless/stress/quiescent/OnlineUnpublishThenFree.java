package dev.raceless.stress.quiescent;

import dev.raceless.grace.QuiescentDomain;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    A reader coming online against unpublish; synchronize(); free. The reader thread is registered
    and offline; it goes online(), reads the pointer, uses what it found, and goes offline(). The
    updater clears the pointer, calls synchronize() and marks the object freed.

    The race is the online Dekker pair (QuiescentDomain's notes, "Online"): the reader stores its
    counter and then reads the grace-period counter and the pointer; the updater adds to the
    grace-period counter and then reads the reader's counter. If the scan read the reader as
    offline, the reader's re-read sees the new grace period and its pointer read sees the
    unpublish. FENCED: a volatile store and volatile reads; ASYMMETRIC: a release store, and the
    updater's membarrier before it trusts an offline reading. BrokenOnlineUnpublishThenFree runs
    the same race with the fence and the barrier removed and shows the forbidden outcome.

    How to run this test (both flavours):
       $ java -jar stress-tests/target/jcstress.jar -t OnlineUnpublishThenFree -m quick
       $ /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar stress-tests/target/jcstress.jar \
             -t OnlineUnpublishThenFree -m quick \
             -jvmArgsPrepend "--enable-native-access=ALL-UNNAMED -Ddev.raceless.readside=asymmetric"

    Outcomes (r1, r2) = (the reader found the object, the reader saw it freed):
      1, 0   the reader came online first; the updater waited for its offline(), then freed
      0, 0   the unpublish came first; the reader found nothing
      1, 1   use-after-free: synchronize() missed a reader that came online and held the object
 */
@JCStressTest
@Description("online(); read; offline() vs unpublish; synchronize(); free: a reader that found the object never "
        + "sees it freed.")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "Reader first: the free waited for its offline().")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "Unpublish first: the reader found no object.")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "Use-after-free: the grace period missed a reader coming online.")
@Outcome(expect = FORBIDDEN, desc = "Impossible by construction.")
@State
public class OnlineUnpublishThenFree {
    private static final Readers READERS = new Readers("online-unpublish-then-free");

    private volatile Obj published = new Obj();

    @Actor
    public void reader(II_Result r) {
        QuiescentDomain.Reader rd = READERS.offlineReader();
        rd.online();
        Obj o = published;
        if (o != null) {
            r.r1 = 1;
            r.r2 = o.useAndWatch();
        }
        rd.offline();
    }

    @Actor
    public void updater() {
        Obj o = published;
        published = null;               // unpublish
        READERS.domain().synchronize(); // waits for every thread online when it began
        o.free();                       // plain store
    }
}
