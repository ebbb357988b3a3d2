package dev.raceless.stress.loader;

import dev.raceless.grace.QuiescentDomain;
import dev.raceless.loader.Binding;
import dev.raceless.loader.ModuleLoader;
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
    Quiescent mode of ModuleLoader (docs/loader.md, "Quiescent mode"): an uncounted call vs
    unload(). Instance #1 of key "k" is loaded and cached in a binding; a registered reader of the
    loader's QuiescentDomain comes online, calls through the binding (Binding.call(reader, fn):
    no use taken while the instance is LIVE) and then reports a quiescent state and goes offline;
    unload("k") (three points) races with it. The unload's count leaves LIVE, then its destroy
    waits for a grace period of the domain: a call that read LIVE ends before the reader's report,
    which the grace period waits for; a call that did not read LIVE is counted and waits for the
    destroy, then loads #2.

    The domain is one per test class and each actor thread's Reader is registered once and kept
    offline between actor calls (a per-state registration would drown the race in its lock).

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
@Description("An uncounted call by an online reader vs unload(): the unload's grace period waits for it.")
@Outcome(id = ".*THREW.*", expect = FORBIDDEN, desc = "A correct call or unload threw.")
@Outcome(id = ".*DESTROYED.*", expect = FORBIDDEN, desc = "A call reached an instance whose destroy had begun.")
@Outcome(id = ".*VIOLATION.*", expect = FORBIDDEN, desc = "Destroy under a call, or two live instances of the key.")
@Outcome(id = "1, UNLOADED, none live=0", expect = ACCEPTABLE,
        desc = "The call read LIVE; the unload's grace period waited for its quiescent state.")
@Outcome(id = "2, UNLOADED, loaded #2 live=1", expect = ACCEPTABLE,
        desc = "The call was counted: it waited for #1's destroy, got a fresh #2.")
@Outcome(expect = FORBIDDEN, desc = "Anything else.")
@State
public class QuiescentCallVsUnload {
    private static final QuiescentDomain DOMAIN = new QuiescentDomain("quiescent-call-vs-unload", (a, e) -> { });
    private static final ThreadLocal<QuiescentDomain.Reader> READER = new ThreadLocal<>();

    private final Instances instances = new Instances();
    private final ModuleLoader<String, Instances.Module> loader = new ModuleLoader<>(instances, instances,
            ModuleLoader.Style.THREE_POINT, (k, t) -> { }, DOMAIN);
    private final Binding<Instances.Module> binding = loader.bind("k");

    public QuiescentCallVsUnload() {
        binding.acquire().release(); // #1 is loaded and cached in the binding before the race
    }

    /** The calling thread's Reader, offline; registered (then taken offline) on first use. */
    static QuiescentDomain.Reader offlineReader(QuiescentDomain domain, ThreadLocal<QuiescentDomain.Reader> mine) {
        QuiescentDomain.Reader r = mine.get();
        if (r == null) {
            r = domain.register();
            r.offline();
            mine.set(r);
        }
        return r;
    }

    @Actor
    public void reader(LLL_Result r) {
        QuiescentDomain.Reader rd = offlineReader(DOMAIN, READER);
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
        try {
            r.r2 = loader.unload("k").name();
        } catch (InterruptedException e) { // jcstress never interrupts an actor
            throw new AssertionError(e);
        } catch (RuntimeException e) {
            r.r2 = "THREW " + e.getClass().getSimpleName();
        }
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = instances.view(loader);
    }
}
