package dev.raceless.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/** A wait that passed its stall threshold, with the report that was logged. */
@Name("dev.raceless.Stall")
@Label("Stall")
@Category("raceless")
@Description("A grace period, wait for termination, deregistration or unload waiting past its stall threshold")
public final class StallEvent extends Event {
    /** Filled in by the emitter. */
    public StallEvent() {
    }

    /** What Waits. */
    @Label("What Waits")
    public String waiter;
    /** Waited. */
    @Label("Waited")
    @Timespan(Timespan.NANOSECONDS)
    public long waited;
    /** Report. */
    @Label("Report")
    public String report;
}
