package dev.raceless.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One grace period of a GraceDomain, from its start to its end (its duration is the event's). */
@Name("dev.raceless.GracePeriod")
@Label("Grace Period")
@Category("raceless")
@Description("A grace period of a GraceDomain: every section that began before it has ended")
@StackTrace(false)
public final class GracePeriodEvent extends Event {
    /** Filled in by the emitter. */
    public GracePeriodEvent() {
    }

    /** Domain. */
    @Label("Domain")
    public String domain;
    /** Read Side. */
    @Label("Read Side")
    public String readSide;
    /** Outcome. */
    @Label("Outcome")
    @Description("DONE, TIMED_OUT, INTERRUPTED or MISUSE")
    public String outcome;
    /** Callers Queued. */
    @Label("Callers Queued")
    @Description("Callers waiting for the grace-period lock when it ended: it serves those that arrived "
            + "before it began")
    public int callersQueued;
}
