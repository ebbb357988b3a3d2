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
    A reader coming online against unpublish; synchronize(); free. The reader thread is registered
    and offline; it goes online(), reads the pointer, uses what it found, and goes offline(). The
    updater clears the pointer, calls synchronize() and marks the object freed.

    The race is the online Dekker pair (docs/quiescent-domain.md, "Online"): the reader stores its
    counter and then reads the grace-period counter and the pointer; the updater adds to the
    grace-period counter and then reads the reader's counter. If the scan read the reader as
    offline, the reader's re-read sees the new grace period and its pointer read sees the
    unpublish. FENCED: a volatile store and volatile reads; ASYMMETRIC: a release store, and the
    updater's membarrier before it trusts an offline reading. The broken twin,
    BrokenOnlineUnpublishThenFree, runs the same actors on a one-reader replica (MiniQsbr) without
    the fence and the barrier. A twin on QuiescentDomain itself with only the fence (or the
    barrier) removed does not show its use-after-free in a quick run: its updater's path from the
    unpublish to the scan (a thread-local lookup, two atomic adds, the lock, a copy of the
    registry) outlasts the time a store stays in the store buffer, so the window is the replica's.

    How to run this test (both flavours):
       $ java -jar stress-tests/target/jcstress.jar -t OnlineUnpublishThenFree -m quick
       $ /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar stress-tests/target/jcstress.jar \
             -t OnlineUnpublishThenFree -m quick \
             -jvmArgsPrepend "--enable-native-access=ALL-UNNAMED -Ddev.raceless.readside=asymmetric"

    Outcomes (r1, r2): UnpublishThenFreeOutcomes, and
      1, 1   use-after-free: synchronize() missed a reader that came online and held the object
 */
@JCStressTest
@JCStressMeta(UnpublishThenFreeOutcomes.class)
@Description("online(); read; offline() vs unpublish; synchronize(); free: a reader that found the object never "
        + "sees it freed.")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "Use-after-free: the grace period missed a reader coming online.")
@Outcome(expect = FORBIDDEN, desc = "Impossible by construction.")
@State
public class OnlineUnpublishThenFree extends UnpublishThenFreeRace {
    private static final Readers READERS = new Readers("online-unpublish-then-free");

    @Actor
    public void reader(II_Result r) {
        QuiescentDomain.Reader rd = READERS.offlineReader();
        rd.online();
        use(read(r), r);
        rd.offline();
    }

    @Actor
    public void updater() {
        unpublishThenFree(READERS.domain());
    }


}
