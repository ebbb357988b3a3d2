package dev.raceless.stress.loader;

import dev.raceless.loader.ModuleLoader;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    BROKEN ON PURPOSE. QuiescentCallVsUnload with the unload's grace period left out: the call
    makes the same reads as Binding.call(reader, fn) (the instance's count is LIVE, then its
    module) with no use, on a loader that is not in quiescent mode, whose destroy therefore does
    not wait for the caller's quiescent state:

        caller                              unloader
        isLoaded("k")  -> LIVE
                                            count leaves LIVE (no use held: DEAD at once)
                                            destroy #1
        calls #1       -> DESTROYED

    The caller dawdles about 10 µs between its two reads (the broken use looks longer than a real
    one), so that the interleaving shows in a quick run in every flavour; the real test has no
    such delay. The gate (dev.raceless.stress.JcstressGate) requires a DESTROYED or VIOLATION outcome, which
    QuiescentCallVsUnload forbids: that test can see a call into a destroyed instance.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t BrokenQuiescentCallVsUnload -m quick

    Outcomes (r1, r2, r3): QuiescentCallVsUnloadOutcomes, and
      .*DESTROYED.*, .*VIOLATION.*    a call into a destroyed instance, broken on purpose: expected
 */
@JCStressTest
@JCStressMeta(QuiescentCallVsUnloadOutcomes.class)
@Description("Broken on purpose: an uncounted call vs an unload with no grace period; must show a call into a "
        + "destroyed instance.")
@Outcome(id = ".*DESTROYED.*", expect = ACCEPTABLE_INTERESTING,
        desc = "broken on purpose: expected (a call reached an instance whose destroy had begun)")
@Outcome(id = ".*VIOLATION.*", expect = ACCEPTABLE_INTERESTING,
        desc = "broken on purpose: expected (destroy under a call)")
@Outcome(expect = FORBIDDEN, desc = "Anything else.")
@State
public class BrokenQuiescentCallVsUnload {

    private final LoadedKey k = LoadedKey.threePoint(); // BROKEN: not in quiescent mode, no grace period
    private final ModuleLoader.Handle<Instances.Module> cached;

    public BrokenQuiescentCallVsUnload() {
        cached = k.loader.acquire("k"); // the caller keeps #1's handle, as a binding does
        cached.release();
    }

    @Actor
    public void caller(LLL_Result r) {
        if (k.loader.isLoaded("k")) { // the count read LIVE, then the module: no use, no grace period
            dawdle(); // widens the window an unload needs, so the gate sees the bad outcome in a quick run
            r.r1 = Instances.use(cached.module());
        } else {
            r.r1 = k.request();
        }
    }

    /** About 10 µs: longer than an unload takes from its claim to the destroy, heavy barrier included. */
    private static void dawdle() {
        long end = System.nanoTime() + 10_000;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @Actor
    public void unloader(LLL_Result r) {
        r.r2 = k.unload();
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = k.view();
    }
}
