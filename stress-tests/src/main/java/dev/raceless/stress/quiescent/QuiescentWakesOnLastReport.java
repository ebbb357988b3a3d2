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
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    Lost wake-up between an updater parked in synchronize() on two online readers and their
    reports. Two reader threads of the state's own register and stay online; the actor calls
    synchronize(), which spins, marks both readers (waitedBy = its scan, pending = 2), rescans and
    parks; the early reader reports quiescent() from a delay drawn per state, the late one goes
    offline() after the signal (WakeRace: the schedule, and why the early reader's repeated
    quiescent() claims once). Each report is a volatile store of the counter, then a read of the
    mark and, if marked, a claim; the claim that takes pending to 0 unparks the updater, and the
    updater claims the readers its rescans drop. The domain is made without its timed rescans
    (WakeRace.withoutTimedRescans), so that only a claim wakes the updater: a claim both sides
    miss, a count that never reaches 0, or a last claim that does not unpark leaves
    synchronize() parked forever, and jcstress reports STALE. The proof is "Wake-up" in
    docs/quiescent-domain.md. BrokenQuiescentWakesOnLastReport is the twin whose late reader ends
    online without a report.

    jcstress pins a Termination fork to one CPU: the reports mostly land after the park, one at a
    time in either order, and inside the updater's spin or mark only where preemption puts them.
    The Dekker order of a report against the mark is argued in the proof, not shown here: its
    window is a few instructions wide and needs two threads running at once.

    How to run this test (both flavours):
       $ java -jar stress-tests/target/jcstress.jar -t QuiescentWakesOnLastReport -m quick
       $ /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar stress-tests/target/jcstress.jar \
             -t QuiescentWakesOnLastReport -m quick \
             -jvmArgsPrepend "--enable-native-access=ALL-UNNAMED -Ddev.raceless.readside=asymmetric"

    Outcomes:
      TERMINATED   synchronize() returned after both reports
      STALE        synchronize() never woke: a lost wake-up (forbidden)
      ERROR        synchronize() or a reader threw (forbidden)
 */
@JCStressTest(Mode.Termination)
@Description("synchronize() parked on two online readers wakes when the last of them reports.")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "synchronize() returned after both reports.")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "Lost wake-up: synchronize() still waits although both "
        + "readers reported.")
@Outcome(id = "ERROR", expect = FORBIDDEN, desc = "synchronize() or a reader threw.")
@State
public class QuiescentWakesOnLastReport extends WakeRace {
    private static final QuiescentDomain DOMAIN = withoutTimedRescans("quiescent-wakes-on-last-report");

    public QuiescentWakesOnLastReport() {
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
}
