package dev.raceless.stress.grace;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/*
    SynchronizeWakesOnExit on the steady-state path of the read side: the thread that ends the
    awaited section has ended a section of the same domain before, so its slot exists and the
    exit under test is a store to an owned slot (ASYMMETRIC: a release store and no fence; FENCED:
    a release store) followed by the read of the published waiter. A thread's first exit installs
    its slot under a monitor with a volatile store; that is the path SynchronizeWakesOnExit checks.
    ASYMMETRIC: the waiter publishes itself, runs membarrier, rescans and parks with no timeout,
    so a warm exit that misses the waiter while the rescan misses the exit parks the waiter
    forever (the test domain's stall report, and the rescan before it, come after a day). FENCED: the
    waiter rescans at growing intervals and cannot stay parked.
    BrokenWarmSynchronizeWakesOnExit is the twin whose warm exit does not look for the waiter.

    How to run this test:
       $ /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar stress-tests/target/jcstress.jar \
             -t WarmSynchronizeWakesOnExit \
             -jvmArgsPrepend "--enable-native-access=ALL-UNNAMED -Ddev.raceless.readside=asymmetric"

    Outcomes: inherited from SynchronizeWakesOnExit (TERMINATED; STALE, a lost wake-up, and ERROR
    forbidden), with its state (the domain and the open section) and its actor.
 */
@JCStressTest(Mode.Termination)
@Description("synchronize() parked on an open section wakes when the section exits on a thread whose slot exists.")
@State
public class WarmSynchronizeWakesOnExit extends SynchronizeWakesOnExit {

    @Override
    @Actor
    public void updater() { // jcstress reads the actors a class declares: this one is inherited as is
        super.updater();
    }

    @Override
    @Signal
    public void exit() {
        domain.exit(domain.enter()); // installs this thread's slot (an empty section)
        domain.exit(token);          // the path under test: a warm slot, no fence
    }
}
