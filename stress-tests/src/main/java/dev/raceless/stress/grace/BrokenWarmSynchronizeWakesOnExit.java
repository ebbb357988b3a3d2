package dev.raceless.stress.grace;

import dev.raceless.internal.Flavour;
import dev.raceless.internal.ReaderCounts;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

import java.util.concurrent.locks.LockSupport;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

/*
    BROKEN ON PURPOSE. WarmSynchronizeWakesOnExit's race on a copy of GraceDomain's wait, small
    enough to read at a glance, with one flaw: the warm exit stores its down to its owned slot and
    never looks for a parked waiter. The waiter is GraceDomain's ASYMMETRIC wait in every flavour:
    publish itself, heavy barrier, rescan (the library's ReaderCounts, Piggin-safe sum), park with
    no timeout. The exit's final down waits until the waiter is parked (its park blocker is this
    state), so the waiter's rescan always saw the section open and no one ever unparks it: STALE
    in every sample. Shows that the Termination test sees a permanent park on the warm path. The gate
    (dev.raceless.stress.JcstressGate) fails the build if STALE never shows up.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t BrokenWarmSynchronizeWakesOnExit

    Outcomes:
      TERMINATED   never expected: the exit lands only after the waiter parked (acceptable, so
                   that a spurious wake-up of park() is not an error)
      STALE        expected here, on purpose: the waiter was never woken
 */
@JCStressTest(Mode.Termination)
@Description("BROKEN ON PURPOSE: a warm exit that never wakes the parked waiter; must show STALE.")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "A spurious wake-up of park(): the rescan saw the exit.")
@Outcome(id = "STALE", expect = ACCEPTABLE_INTERESTING,
        desc = "Broken on purpose: the warm exit did not unpark the waiter.")
@State
public class BrokenWarmSynchronizeWakesOnExit {

    private final ReaderCounts counts = new ReaderCounts(1, 2, ReaderCounts.Mode.RELEASE);
    private volatile Thread waiter;

    public BrokenWarmSynchronizeWakesOnExit() {
        counts.up(0); // the section the waiter waits for
    }

    @Actor
    public void updater() {
        waiter = Thread.currentThread(); // publish, barrier, rescan: as GraceDomain's drain()
        Flavour.heavyBarrier();
        while (counts.pending(0) != 0) {
            LockSupport.park(this);
        }
    }

    @Signal
    public void exit() {
        counts.up(0);   // installs this thread's slot (an empty section)
        counts.down(0); // BROKEN: no waiter check after the down
        Thread w;
        while ((w = waiter) == null || LockSupport.getBlocker(w) != this) {
            Thread.yield(); // one CPU (jcstress pins a Termination fork): let the waiter park
        }
        counts.down(0); // the awaited section's exit, on the warm slot: BROKEN, no unpark(waiter)
    }
}
