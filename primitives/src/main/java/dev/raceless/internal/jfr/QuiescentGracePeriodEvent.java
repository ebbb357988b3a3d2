package dev.raceless.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One grace period of a QuiescentDomain, from its start to its end (its duration is the event's). */
@Name("dev.raceless.QuiescentGracePeriod")
@Label("Quiescent Grace Period")
@Category("raceless")
@Description("A grace period of a QuiescentDomain: every registered thread that was online when it began has "
        + "passed a quiescent state, gone offline or died")
@StackTrace(false)
public final class QuiescentGracePeriodEvent extends Event {
    /** Filled in by the emitter. */
    public QuiescentGracePeriodEvent() {
    }

    /** Domain. */
    @Label("Domain")
    public String domain;
    /** Read Side. */
    @Label("Read Side")
    public String readSide;
    /** Outcome. */
    @Label("Outcome")
    @Description("DONE, TIMED_OUT, BUSY (a trySynchronize() that would have had to wait) or INTERRUPTED")
    public String outcome;
    /** Readers Registered. */
    @Label("Readers Registered")
    @Description("Threads registered with the domain when the grace period began")
    public int readersRegistered;
    /** Readers Waited For. */
    @Label("Readers Waited For")
    @Description("Online threads that had not passed a quiescent state at the first scan")
    public int readersWaitedFor;
    /** Callers Queued. */
    @Label("Callers Queued")
    @Description("Callers waiting for the grace-period lock when it ended")
    public int callersQueued;
}
