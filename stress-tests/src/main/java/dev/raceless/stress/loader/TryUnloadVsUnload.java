package dev.raceless.stress.loader;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    The unload protocol's take-over through ModuleLoader (docs/unload-protocol.md): instance #1 of
    key "k" is loaded and idle; a tryUnload("k") races an unload("k") (three points), which takes a
    try in progress over. Exactly one of them reports UNLOADED, and #1 is destroyed exactly once.
    The take-over CAS itself is checked on the bare claim by TryVsCommit, whose broken twin
    BrokenTryVsCommit shows two successes without it.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t TryUnloadVsUnload

    Outcomes (r1, r2, r3) = (tryUnload, unload, the key at the end):
      UNLOADED,   NOT_LOADED, none live=0   the try finished first
      NOT_LOADED, UNLOADED,   none live=0   the unload came first, or took the try over
    Forbidden: two UNLOADED, none, a destroy run twice (live=-1), a violation, or a call that threw.
 */
@JCStressTest
@Description("tryUnload() vs unload() on an idle instance: one UNLOADED, one destroy.")
@Outcome(id = {"UNLOADED, NOT_LOADED, none live=0", "NOT_LOADED, UNLOADED, none live=0"}, expect = ACCEPTABLE,
        desc = "Exactly one unload reported UNLOADED; one destroy.")
@Outcome(expect = FORBIDDEN, desc = "Two or no UNLOADED, a second destroy, or a call that threw.")
@State
public class TryUnloadVsUnload {

    private final LoadedKey k = LoadedKey.threePoint();

    @Actor
    public void tryUnloader(LLL_Result r) {
        r.r1 = k.tryUnload();
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
