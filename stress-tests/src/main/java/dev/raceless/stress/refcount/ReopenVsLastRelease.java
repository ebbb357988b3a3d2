package dev.raceless.stress.refcount;

import dev.raceless.refcount.UseCount;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZL_Result;

import java.util.concurrent.CompletableFuture;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    Reuse after death (generation/ABA). The last release of life 1 ends it in two steps: the CAS
    to DEAD, then the completion of life 1's termination future. Between the two, a reopen() can
    already start life 2, take a use in it and shut it down again. The finisher must complete the
    future it read before its CAS (life 1's), never the one current when it gets there (life 2's),
    or life 2 would report termination while its use is held. Likewise a stale CAS from life 1's
    GOING word must never hit life 2's GOING word: the sequence number in the state word makes
    every word unique.

       actor 1:  release()                     -> the last use of life 1 (GOING)
       actor 2:  spin until reopen() succeeds   -> life 2
                 tryAcquire(); shutdown()       -> life 2 GOING with one use held

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t ReopenVsLastRelease

    Outcomes (r1, r2, r3) = (actor 2 reopened and took a use, life 1's termination is done,
                             CountView at the end, which reads life 2 if it exists):
      true,  true, GOING 1        life 2 holds its use; life 1 completed
      false, true, DEAD 0 done    actor 2 gave up spinning before life 1 died (its spin is
                                  bounded so the test cannot hang): nothing was tested
      ..., ..., ... THREW         release() or shutdown() threw IllegalStateException: a correct
                                  call taken for misuse (forbidden; see Calls)
 */
@JCStressTest
@Description("reopen() racing the finisher of the previous life: no completion leaks into the new life.")
@Outcome(id = Calls.THREW_PATTERN, expect = FORBIDDEN,
        desc = "release() or shutdown() threw: a correct call taken for misuse.")
@Outcome(id = "true, true, GOING 1", expect = ACCEPTABLE, desc = "Life 2 holds its use and is GOING; life 1 completed.")
@Outcome(id = "false, true, DEAD 0 done", expect = ACCEPTABLE_INTERESTING,
        desc = "The reopener gave up before life 1 died: no race this time.")
@Outcome(id = "true, .*, (DEAD|GOING 1 done).*", expect = FORBIDDEN,
        desc = "Life 2 ended or completed while its use is held: a stale finisher from life 1.")
@Outcome(id = ".*, false, .*", expect = FORBIDDEN, desc = "Life 1's termination never completed.")
@Outcome(expect = FORBIDDEN, desc = "Wrong use count, or state and termination disagree.")
@State
public class ReopenVsLastRelease {

    /** Bound on actor 2's wait for life 1 to die, in calls to reopen(). */
    private static final int SPINS = 1 << 20;

    private final UseCount count = new UseCount();
    private final CompletableFuture<Void> life1;
    private boolean releaserThrew; // written by one actor, read by the arbiter after it
    private boolean reopenerThrew;

    public ReopenVsLastRelease() {
        count.tryAcquire(); // the last use of life 1
        count.shutdown();   // GOING
        life1 = count.termination();
    }

    @Actor
    public void lastRelease() {
        releaserThrew = !Calls.release(count);
    }

    @Actor
    public void reopener(ZZL_Result r) {
        for (int i = 0; i < SPINS; i++) {
            if (count.reopen()) {
                r.r1 = count.tryAcquire(); // LIVE and nobody else shuts down: must succeed
                reopenerThrew = !Calls.shutdown(count);
                return;
            }
            Thread.onSpinWait();
        }
    }

    @Arbiter
    public void arbiter(ZZL_Result r) {
        r.r2 = life1.isDone();
        r.r3 = CountView.of(count) + Calls.mark(releaserThrew || reopenerThrew);
    }
}
