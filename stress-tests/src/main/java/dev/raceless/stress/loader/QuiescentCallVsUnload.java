package dev.raceless.stress.loader;

import dev.raceless.grace.QuiescentDomain;
import dev.raceless.loader.Binding;
import dev.raceless.stress.quiescent.Readers;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    Quiescent mode of ModuleLoader (docs/loader.md, "Quiescent mode"): an uncounted call vs
    unload(). Instance #1 of key "k" is loaded and cached in a binding; a registered reader of the
    loader's QuiescentDomain comes online, calls through the binding (Binding.call(reader, fn):
    no use taken while the instance is LIVE) and then reports a quiescent state and goes offline;
    unload("k") (three points) races with it. The unload's count leaves LIVE, then its destroy
    waits for a grace period of the domain: a call that read LIVE ends before the reader's report,
    which the grace period waits for; a call that did not read LIVE is counted and waits for the
    destroy, then loads #2.

    The domain is one per test class and each actor thread's Reader is registered once and kept
    offline between actor calls (quiescent.Readers: a per-state registration would drown the race in
    its lock).

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t QuiescentCallVsUnload -m quick

    Outcomes (r1, r2, r3) = (the instance the call reached, what unload returned, the key at the end):
      1, UNLOADED, none live=0        the call read LIVE; the unload's grace period waited for it
      2, UNLOADED, loaded #2 live=1   the call came after the count left LIVE: counted, it waited
                                      for #1's destroy and loaded #2
    Forbidden: a call into a destroyed instance (DESTROYED), a destroy under a call or two live
    instances (VIOLATION), anything else. The broken twin BrokenQuiescentCallVsUnload shows that
    the DESTROYED outcome appears without the grace period.
 */
@JCStressTest
@JCStressMeta(QuiescentCallVsUnloadOutcomes.class)
@Description("An uncounted call by an online reader vs unload(): the unload's grace period waits for it.")
@Outcome(id = ".*DESTROYED.*", expect = FORBIDDEN, desc = "A call reached an instance whose destroy had begun.")
@Outcome(id = ".*VIOLATION.*", expect = FORBIDDEN, desc = "Destroy under a call, or two live instances of the key.")
@Outcome(expect = FORBIDDEN, desc = "Anything else.")
@State
public class QuiescentCallVsUnload {
    private static final Readers READERS = new Readers("quiescent-call-vs-unload");

    private final LoadedKey k = LoadedKey.quiescent(READERS.domain());
    private final Binding<Instances.Module> binding = k.warmBinding();

    @Actor
    public void reader(LLL_Result r) {
        QuiescentDomain.Reader rd = READERS.offlineReader();
        rd.online();
        try {
            r.r1 = binding.call(rd, Instances::use);
        } catch (RuntimeException e) {
            r.r1 = "THREW " + e.getClass().getSimpleName();
        }
        rd.quiescent();
        rd.offline();
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
