package dev.raceless.stress.quiescent;

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
    OnlineUnpublishThenFree on a quiescent-state mechanism broken on purpose (MiniQsbr): online()
    is a release store with no fence, and the updater trusts an offline reading without a heavy
    barrier. Release does not order the reader's store before its load of the pointer:

        reader                              updater
        ctr = gp          (store buffered)
        o = published     -> the object
                                            published = null
                                            synchronize(): ctr reads 0 (offline), done
                                            o.free()
        watches o.freed   -> 1              (the reader's store lands here)

    This test exists to prove OnlineUnpublishThenFree can fail: its "1, 1" is the outcome that test
    forbids, and here it is expected. On x86 it needs a store-buffer race: expect a low rate.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t BrokenOnlineUnpublishThenFree -m quick

    Outcomes (r1, r2) = (the reader found the object, the reader saw it freed):
      1, 0   the reader came online first, and the scan saw it
      0, 0   the unpublish came first
      1, 1   use-after-free, broken on purpose: expected
 */
@JCStressTest
@Description("Broken on purpose: online() without the fence and a grace period without the barrier; must show "
        + "use-after-free.")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "Reader first: the scan saw it online.")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "Unpublish first: the reader found no object.")
@Outcome(id = "1, 1", expect = ACCEPTABLE_INTERESTING, desc = "broken on purpose: expected (use-after-free through "
        + "an unfenced online())")
@Outcome(expect = FORBIDDEN, desc = "Impossible by construction.")
@State
public class BrokenOnlineUnpublishThenFree {
    private final MiniQsbr qsbr = new MiniQsbr();
    private volatile Obj published = new Obj();

    @Actor
    public void reader(II_Result r) {
        qsbr.online();
        Obj o = published;
        if (o != null) {
            r.r1 = 1;
            r.r2 = o.useAndWatch();
        }
        qsbr.offline();
    }

    @Actor
    public void updater() {
        Obj o = published;
        published = null;
        qsbr.synchronize();
        o.free();
    }
}
