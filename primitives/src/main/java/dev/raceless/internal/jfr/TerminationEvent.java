package dev.raceless.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A UseCount's life ended: from the shutdown that began the end to the count reaching DEAD. */
@Name("dev.raceless.Termination")
@Label("Shutdown to Termination")
@Category("raceless")
@Description("A UseCount became DEAD; the duration runs from the shutdown or tryShutdown that began it")
@StackTrace(false)
public final class TerminationEvent extends Event {
    /** Filled in by the emitter. */
    public TerminationEvent() {
    }

    /** Count. */
    @Label("Count")
    public String count;
    /** Shutdown to Termination. */
    @Label("Shutdown to Termination")
    @Timespan(Timespan.NANOSECONDS)
    public long shutdownToTermination;
}
