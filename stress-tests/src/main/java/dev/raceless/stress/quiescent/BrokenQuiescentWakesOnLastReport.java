package dev.raceless.stress.quiescent;

import dev.raceless.grace.QuiescentDomain;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    BROKEN ON PURPOSE. QuiescentWakesOnLastReport's race (WakeRace) on the same domain without
    timed rescans, with one flaw: after the signal the late reader's thread ends online instead of
    going offline. Nothing claims the late reader, so nothing wakes the updater: to it, this is a
    report whose claim both sides missed. With the timed rescans (any other QuiescentDomain) a
    rescan would find the thread dead and end the wait; here the updater parks forever: STALE.
    Shows that the real test runs without timed rescans (the reflective constructor took effect)
    and that its harness reports a wake-up that never comes. The gate
    (dev.raceless.stress.JcstressGate) fails the build if STALE never shows up.

    A twin with the claim out of the Dekker order (the mark read before the counter store) is not
    practical here: its window is a reader between those two accesses while the updater marks and
    rescans, which needs two threads running at once, and jcstress pins a Termination fork to one
    CPU. The order is argued in docs/quiescent-domain.md, "Wake-up".

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t BrokenQuiescentWakesOnLastReport -m quick

    The late reader's thread ends only once the updater is parked in the domain's wait, so no
    rescan before the park can find it dead: every sample is STALE (a fork that was held off the
    CPU no longer turns the outcome into TERMINATED).

    Outcomes:
      TERMINATED   the updater was not waiting for the late reader (kept as acceptable: not expected)
      STALE        expected here, on purpose: no report, no wake-up
      ERROR        synchronize() or a reader threw (forbidden)
 */
@JCStressTest(Mode.Termination)
@Description("BROKEN ON PURPOSE: a waited-for reader ends its thread online, which wakes no one; must show STALE.")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The updater did not wait for the late reader (not expected).")
@Outcome(id = "STALE", expect = ACCEPTABLE_INTERESTING,
        desc = "Broken on purpose: the late reader ended online; nothing woke the updater.")
@Outcome(id = "ERROR", expect = FORBIDDEN, desc = "synchronize() or a reader threw.")
@State
public class BrokenQuiescentWakesOnLastReport extends WakeRace {
    private static final QuiescentDomain DOMAIN = withoutTimedRescans("broken-quiescent-wakes-on-last-report");

    public BrokenQuiescentWakesOnLastReport() {
        super(DOMAIN);
    }

    @Actor
    public void updater() {
        runUpdater();
    }

    @Signal
    public void signal() {
        release();
    }

    @Override
    boolean lateReport(QuiescentDomain.Reader reader) {
        awaitUpdaterParked(); // so that no rescan before the park can find this thread dead
        return false; // BROKEN: the thread ends online; no report, no claim
    }
}
