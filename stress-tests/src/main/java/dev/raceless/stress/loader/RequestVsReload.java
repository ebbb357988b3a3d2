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
    A request vs reload("k"), the atomic upgrade. Instance #1 of key "k" is loaded; a request
    (acquire, call, release) races with reload("k") (three points), which refuses new calls to #1
    at once, waits for the calls in flight, makes #2, destroys #1, and returns with #2 live. A
    request that got #1 before the reload began keeps it (the reload waits for it); one that
    arrives later waits and continues with #2, never with #1 and never with a third instance.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t RequestVsReload

    Outcomes (r1, r2, r3) = (the instance the request called, what reload returned, the key at
    the end):
      1, RELOADED, loaded #2 live=1   the request got #1 first; the reload waited for it
      2, RELOADED, loaded #2 live=1   the request came during or after the reload and got #2
    Forbidden: a call into a destroyed instance, two live instances, a third instance, nothing
    live at the end, a correct call that threw.
 */
@JCStressTest
@Description("A request vs reload(): the request gets #1 before the reload began, else the fresh #2.")
@Outcome(id = ".*THREW.*", expect = FORBIDDEN, desc = "A correct acquire(), release() or reload() threw.")
@Outcome(id = ".*DESTROYED.*", expect = FORBIDDEN, desc = "A call reached an instance whose destroy had begun.")
@Outcome(id = ".*VIOLATION.*", expect = FORBIDDEN, desc = "Destroy under a call, or two live instances of the key.")
@Outcome(id = "1, RELOADED, loaded #2 live=1", expect = ACCEPTABLE,
        desc = "Request got #1 first; the reload waited for its call.")
@Outcome(id = "2, RELOADED, loaded #2 live=1", expect = ACCEPTABLE, desc = "Request waited for the reload and got #2.")
@Outcome(expect = FORBIDDEN, desc = "Anything else.")
@State
public class RequestVsReload {

    private final LoadedKey k = LoadedKey.threePoint();

    @Actor
    public void request(LLL_Result r) {
        r.r1 = k.request();
    }

    @Actor
    public void reloader(LLL_Result r) {
        r.r2 = k.reload();
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = k.view();
    }
}
