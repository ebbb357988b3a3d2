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
    Jamie Lokier's protocol, request vs a non-blocking unload. Instance #1 of key "k" is loaded; a
    request (acquire, call, release) races with tryUnload("k") (three points). A request that
    arrives while #1 is unloading must not get it: it waits for #1's destroy to return and
    continues with a fresh #2. A tryUnload that finds a call in flight reports BUSY and changes
    nothing; the request then keeps #1.

    The call counts itself inside the instance and then reads its 'destroyed' flag; destroy
    raises the flag and then reads the count (see Instances), so a call into a destroyed
    instance, or a destroy under a call, is seen by one side or the other.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t RequestVsTryUnload

    Outcomes (r1, r2, r3) = (the instance the request called, what tryUnload returned, the key at
    the end):
      1, BUSY,     loaded #1 live=1   the request held #1 while the unload looked: nothing changed
      1, UNLOADED, none live=0        the request ended before the unload counted
      2, UNLOADED, loaded #2 live=1   the request came during or after the unload: it waited for
                                      #1's destroy and got the fresh #2
    Forbidden: a call that found its instance destroyed (DESTROYED), a destroy under a call or two
    live instances (VIOLATION), #2 after a BUSY (nothing was unloaded), a correct call that threw.
 */
@JCStressTest
@Description("A request vs tryUnload(): never the dying instance, never a call into a destroyed one.")
@Outcome(id = ".*THREW.*", expect = FORBIDDEN, desc = "A correct acquire(), release() or tryUnload() threw.")
@Outcome(id = ".*DESTROYED.*", expect = FORBIDDEN, desc = "A call reached an instance whose destroy had begun.")
@Outcome(id = ".*VIOLATION.*", expect = FORBIDDEN, desc = "Destroy under a call, or two live instances of the key.")
@Outcome(id = "1, BUSY, loaded #1 live=1", expect = ACCEPTABLE, desc = "Call in flight: BUSY, #1 stays.")
@Outcome(id = "1, UNLOADED, none live=0", expect = ACCEPTABLE, desc = "Call ended first; #1 unloaded.")
@Outcome(id = "2, UNLOADED, loaded #2 live=1", expect = ACCEPTABLE,
        desc = "Request waited for #1's destroy, got a fresh #2.")
@Outcome(expect = FORBIDDEN, desc = "Anything else: e.g. #2 after BUSY, NOT_LOADED for a loaded key.")
@State
public class RequestVsTryUnload {

    private final LoadedKey k = LoadedKey.threePoint();

    @Actor
    public void request(LLL_Result r) {
        r.r1 = k.request();
    }

    @Actor
    public void unloader(LLL_Result r) {
        r.r2 = k.tryUnload();
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = k.view();
    }
}
