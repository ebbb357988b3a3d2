package dev.raceless.stress.refcount;

import dev.raceless.refcount.UseCount;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZL_Result;

import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    Two holders of a GOING count release at the same time; each release adds its down and then
    sums every stripe. Two failure modes: each sum misses the other's down (both see one use
    left, nobody ends the life: a lost wake-up for every waiter), or both see zero and the life
    ends twice. The sums are after full-fence xadds, so the later of the two downs is seen by its
    own thread's sum; the CAS on the state word lets only one of the two finish.

    The test also checks that a release that was the last one returns only after the count is
    DEAD: at least one of the two actors must see DEAD right after its own release().

    A completion counter hangs off termination(). CompletableFuture completes at most once, so a
    second finisher could never make it count 2; the counter checks that the completion happened
    and that dependants ran exactly once, and the state word's CAS (seq moves on every
    transition) is what keeps the second finisher out. That argument is a proof sketch in
    UseCount's implementation notes, not something this test can see.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t TwoLastReleases

    Outcomes (r1, r2, r3) = (actor 1 saw DEAD after its release, actor 2 likewise,
                             CountView at the end + "x" and the number of completion callbacks):
      true,  false, DEAD 0 done x1    actor 1 released last and ended the life
      false, true,  DEAD 0 done x1    actor 2 did
      true,  true,  DEAD 0 done x1    both sums saw zero (or one ended it before the other read)
      ..., ... THREW                  a release() threw IllegalStateException: a correct release
                                      taken for misuse, e.g. because it found the count DEAD after
                                      the other holder's count had already included its down
                                      (forbidden; see Calls)
 */
@JCStressTest
@Description("Two concurrent last releases of a GOING count: it ends DEAD, termination completes once.")
@Outcome(id = Calls.THREW_PATTERN, expect = FORBIDDEN, desc = "A release() threw: a correct release taken for misuse.")
@Outcome(id = "(true, false|false, true|true, true), DEAD 0 done x1", expect = ACCEPTABLE,
        desc = "One life ended once; the last releaser saw DEAD.")
@Outcome(id = "false, false, .*", expect = FORBIDDEN,
        desc = "Neither release returned with the count DEAD: the last release did not finish it.")
@Outcome(id = ".*, GOING.*", expect = FORBIDDEN, desc = "Lost last release: no use held, yet GOING.")
@Outcome(id = ".*, x[02-9]", expect = FORBIDDEN, desc = "Termination dependants ran other than exactly once.")
@Outcome(expect = FORBIDDEN, desc = "Wrong use count, or state and termination disagree.")
@State
public class TwoLastReleases {

    private final UseCount count = new UseCount();
    private final AtomicInteger completions = new AtomicInteger();
    private boolean threw1; // written by one actor, read by the arbiter after it
    private boolean threw2;

    public TwoLastReleases() {
        count.tryAcquire();
        count.tryAcquire();
        count.shutdown(); // GOING, two uses held
        count.termination().thenRun(completions::incrementAndGet);
    }

    @Actor
    public void holder1(ZZL_Result r) {
        threw1 = !Calls.release(count);
        r.r1 = count.state() == UseCount.State.DEAD;
    }

    @Actor
    public void holder2(ZZL_Result r) {
        threw2 = !Calls.release(count);
        r.r2 = count.state() == UseCount.State.DEAD;
    }

    @Arbiter
    public void arbiter(ZZL_Result r) {
        r.r3 = CountView.of(count) + " x" + completions.get() + Calls.mark(threw1 || threw2);
    }
}
