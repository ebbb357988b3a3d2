package dev.raceless.stress.quiescent;

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
    BROKEN ON PURPOSE. OnlineUnpublishThenFree on a one-reader replica of the protocol (MiniQsbr):
    online() is a release store with no fence, and the updater trusts an offline reading without a
    heavy barrier. Release does not order the reader's store before its load of the pointer:

        reader                              updater
        ctr = gp          (store buffered)
        o = published     -> the object
                                            published = null
                                            synchronize(): ctr reads 0 (offline), done
                                            o.free()
        watches o.freed   -> 1              (the reader's store lands here)

    The replica's synchronize() is a few instructions: on QuiescentDomain itself, with only the
    fence removed, the updater's path from the unpublish to the scan outlasts the store buffer and
    a quick run shows nothing (see OnlineUnpublishThenFree). The gate requires "1, 1", the outcome
    OnlineUnpublishThenFree forbids. On x86 it needs a store-buffer race: expect a low rate.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t BrokenOnlineUnpublishThenFree -m quick

    Outcomes (r1, r2): UnpublishThenFreeOutcomes, and
      1, 1   use-after-free, broken on purpose: expected
 */
@JCStressTest
@JCStressMeta(UnpublishThenFreeOutcomes.class)
@Description("Broken on purpose: online() without the fence and a grace period without the barrier, on a "
        + "replica; must show use-after-free.")
@Outcome(id = "1, 1", expect = ACCEPTABLE_INTERESTING, desc = "broken on purpose: expected (use-after-free through "
        + "an unfenced online())")
@Outcome(expect = FORBIDDEN, desc = "Impossible by construction.")
@State
public class BrokenOnlineUnpublishThenFree extends UnpublishThenFreeRace {
    private final MiniQsbr qsbr = new MiniQsbr();

    @Actor
    public void reader(II_Result r) {
        qsbr.online();
        use(read(r), r);
        qsbr.offline();
    }

    @Actor
    public void updater() {
        Obj o = unpublish();
        qsbr.synchronize();
        o.free();
    }
}
