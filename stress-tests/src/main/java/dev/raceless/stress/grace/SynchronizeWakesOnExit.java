package dev.raceless.stress.grace;

import dev.raceless.grace.GraceDomain;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

import java.util.concurrent.TimeUnit;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    Lost wake-up between an updater parked in synchronize() and the exit of the section it waits
    for. The state constructor opens a section; the actor calls synchronize(), which spins, then
    publishes itself (waiter, drainingIdx), rescans and parks; the signal ends the section on its
    own thread: xadd(down), then read drainingIdx and unpark. The exit may land while the updater
    spins, between its publish and its rescan, or after it parked; each side writes first and
    reads second, all sequentially consistent, so either the rescan sees the exit or the exit sees
    the waiter. A rescan that missed the exit, paired with an exit that missed the waiter, leaves
    synchronize() parked forever: jcstress reports that as STALE. The domain's stall threshold is a
    day (withoutStallRescan): the default 10 s ends the park in a rescan before jcstress's STALE.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t SynchronizeWakesOnExit

    Outcomes:
      TERMINATED   synchronize() returned after the exit
      STALE        synchronize() never woke: a lost wake-up (forbidden)
      ERROR        synchronize() or exit() threw (forbidden)
 */
@JCStressTest(Mode.Termination)
@Description("synchronize() parked on an open section wakes when the section exits on another thread.")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "synchronize() returned after the exit.")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "Lost wake-up: synchronize() still waits although the section ended.")
@Outcome(id = "ERROR", expect = FORBIDDEN, desc = "synchronize() or exit() threw.")
@State
public class SynchronizeWakesOnExit {

    // Package-private: WarmSynchronizeWakesOnExit extends this test with another exit.
    final GraceDomain domain = withoutStallRescan(new GraceDomain());
    final int token = domain.enter(); // the section the updater waits for

    @Actor
    public void updater() {
        domain.synchronize();
    }

    @Signal
    public void exit() {
        domain.exit(token);
    }

    /**
     * {@code d} with a stall threshold of a day: the wait parks until its stall report is due and
     * then rescans, so with the default 10 s a lost wake-up would end in that rescan before
     * jcstress calls the test STALE (30 s), and the test could not fail.
     */
    static GraceDomain withoutStallRescan(GraceDomain d) {
        d.reportStalls(1, TimeUnit.DAYS, report -> { });
        return d;
    }
}
