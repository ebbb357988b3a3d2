package dev.raceless.stress.grace;

import dev.raceless.grace.GraceDomain;
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
    SynchronizeWakesOnExit on the steady-state path of the read side: the thread that ends the
    awaited section has ended a section of the same domain before, so its slot exists and the
    exit under test is a store to an owned slot (ASYMMETRIC: a release store and no fence; FENCED:
    a release store) followed by the read of the published waiter. A thread's first exit installs
    its slot under a monitor with a volatile store; that is the path SynchronizeWakesOnExit checks.
    ASYMMETRIC: the waiter publishes itself, runs membarrier, rescans and parks with no timeout,
    so a warm exit that misses the waiter while the rescan misses the exit parks the waiter
    forever (the stall report fires after 10 s, long after jcstress calls it STALE). FENCED: the
    waiter rescans at growing intervals and cannot stay parked.
    BrokenWarmSynchronizeWakesOnExit is the twin whose warm exit does not look for the waiter.

    How to run this test:
       $ /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar stress-tests/target/jcstress.jar \
             -t WarmSynchronizeWakesOnExit \
             -jvmArgsPrepend "--enable-native-access=ALL-UNNAMED -Ddev.raceless.readside=asymmetric"

    Outcomes:
      TERMINATED   synchronize() returned after the exit
      STALE        synchronize() never woke: a lost wake-up (forbidden)
      ERROR        synchronize() or exit() threw (forbidden)
 */
@JCStressTest(Mode.Termination)
@Description("synchronize() parked on an open section wakes when the section exits on a thread whose slot exists.")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "synchronize() returned after the exit.")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "Lost wake-up: synchronize() still waits although the section ended.")
@Outcome(id = "ERROR", expect = FORBIDDEN, desc = "synchronize() or exit() threw.")
@State
public class WarmSynchronizeWakesOnExit {

    private final GraceDomain domain = new GraceDomain();
    private final int token = domain.enter(); // the section the updater waits for

    @Actor
    public void updater() {
        domain.synchronize();
    }

    @Signal
    public void exit() {
        domain.exit(domain.enter()); // installs this thread's slot (an empty section)
        domain.exit(token);          // the path under test: a warm slot, no fence
    }
}
