package dev.raceless.stress.refcount;

import dev.raceless.refcount.UseCount;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZL_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    The broken twin of ReopenAndAcquireVsTryShutdown: reopen() and then tryAcquire(), two steps.
    A tryShutdown() between them finds the new life idle and ends it, and the loader's tryAcquire
    fails: "false, true, DEAD 0 done". This is the window Lincheck found in ModuleLoader (an unload
    between a request's load and its own use); the jcstress gate requires this run to show it.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t BrokenReopenThenAcquire

    Outcomes (r1, r2, r3) = (reopen() && tryAcquire(), tryShutdown(), CountView at the end): those
    of ReopenAndAcquireVsTryShutdownOutcomes, and the two below (the window, and a spurious failure).
 */
@JCStressTest
@JCStressMeta(ReopenAndAcquireVsTryShutdownOutcomes.class)
@Description("Broken on purpose: reopen() then tryAcquire() lets a tryShutdown() end the new life in between.")
@Outcome(id = "false, true, DEAD 0 done", expect = ACCEPTABLE_INTERESTING,
        desc = "The window: tryShutdown ended the new life between reopen and tryAcquire.")
@Outcome(id = "false, false, LIVE 0", expect = ACCEPTABLE,
        desc = "tryShutdown made the tryAcquire fail spuriously while it counted (documented).")
@Outcome(expect = FORBIDDEN, desc = "Not possible even with the two steps.")
@State
public class BrokenReopenThenAcquire {

    private final UseCount count = new UseCount();

    public BrokenReopenThenAcquire() {
        count.shutdown();
    }

    @Actor
    public void loader(ZZL_Result r) {
        r.r1 = count.reopen() && count.tryAcquire();
    }

    @Actor
    public void unloader(ZZL_Result r) {
        r.r2 = count.tryShutdown();
    }

    @Arbiter
    public void arbiter(ZZL_Result r) {
        r.r3 = CountView.of(count);
    }
}
