package dev.raceless.stress.refcount;

import dev.raceless.refcount.UseCount;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    Lost wake-up between a parked waiter and the last release. The count is GOING with one use
    held; the actor parks in awaitTermination() and the signal releases the use. The waiter may
    park before or after the release ends the life; either way it must return. A waiter that
    reads "not dead yet", then misses the completion that lands before it parks, sleeps forever:
    jcstress reports that as STALE.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t AwaitTerminationWakes

    Outcomes:
      TERMINATED   the waiter returned after the last release
      STALE        the waiter never woke: a lost wake-up (forbidden)
      ERROR        awaitTermination() or release() threw (forbidden)
 */
@JCStressTest(Mode.Termination)
@Description("awaitTermination() parked on a GOING count wakes when the last use is released.")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The waiter woke up after the last release.")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "Lost wake-up: the waiter still sleeps although the count is DEAD.")
@Outcome(id = "ERROR", expect = FORBIDDEN, desc = "awaitTermination() or release() threw.")
@State
public class AwaitTerminationWakes {

    private final UseCount count = new UseCount();

    public AwaitTerminationWakes() {
        count.tryAcquire(); // the one use, released by the signal
        count.shutdown();   // GOING
    }

    @Actor
    public void waiter() throws InterruptedException {
        count.awaitTermination();
    }

    @Signal
    public void lastRelease() {
        count.release();
    }
}
