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
    Jamie Lokier's protocol, request vs a blocking unload. Instance #1 of key "k" is loaded; a
    request (acquire, call, release) races with unload("k") (three points), which refuses new
    calls at once and returns after the calls in flight have ended and #1 is destroyed. A request
    that arrives while #1 is unloading waits until #1's destroy has returned and continues with a
    fresh #2; a request that got #1 before the unload began keeps it, and the unload waits for it.

    The call counts itself inside the instance and then reads its 'destroyed' flag; destroy
    raises the flag and then reads the count (see Instances); init notes two live instances.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t RequestVsUnload

    Outcomes (r1, r2, r3) = (the instance the request called, what unload returned, the key at
    the end):
      1, UNLOADED, none live=0        the request got #1 first; the unload waited for it
      2, UNLOADED, loaded #2 live=1   the request came during or after the unload: it waited for
                                      #1's destroy and got the fresh #2
    Forbidden: a call into a destroyed instance (DESTROYED), a destroy under a call or #2 made
    while #1 was alive (VIOLATION), anything but UNLOADED, a correct call that threw.
 */
@JCStressTest
@Description("A request vs unload(): waits for the dying instance's destroy, then one fresh instance.")
@Outcome(id = ".*THREW.*", expect = FORBIDDEN, desc = "A correct acquire(), release() or unload() threw.")
@Outcome(id = ".*DESTROYED.*", expect = FORBIDDEN, desc = "A call reached an instance whose destroy had begun.")
@Outcome(id = ".*VIOLATION.*", expect = FORBIDDEN, desc = "Destroy under a call, or two live instances of the key.")
@Outcome(id = "1, UNLOADED, none live=0", expect = ACCEPTABLE,
        desc = "Request got #1 first; the unload waited for its call.")
@Outcome(id = "2, UNLOADED, loaded #2 live=1", expect = ACCEPTABLE,
        desc = "Request waited for #1's destroy, got a fresh #2.")
@Outcome(expect = FORBIDDEN, desc = "Anything else.")
@State
public class RequestVsUnload {

    private final LoadedKey k = LoadedKey.threePoint();

    @Actor
    public void request(LLL_Result r) {
        r.r1 = k.request();
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
