package dev.raceless.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One deregistration call, from the call to its result (its duration is the event's: the wait). */
@Name("dev.raceless.Deregistration")
@Label("Deregistration")
@Category("raceless")
@Description("A Registration or RegistrationGroup deregistration call and its result; the duration is its wait")
@StackTrace(false)
public final class DeregistrationEvent extends Event {
    /** Filled in by the emitter. */
    public DeregistrationEvent() {
    }

    /** Registration. */
    @Label("Registration")
    @Description("The registration, or the group, as its toString() shows it")
    public String registration;
    /** Variant. */
    @Label("Variant")
    @Description("tryDeregister, tryDeregister(timeout), deregister, deregisterAsync, tryDeregisterAll "
            + "or deregisterAll")
    public String variant;
    /** Result. */
    @Label("Result")
    @Description("DEREGISTERED, BUSY, ALREADY_DEREGISTERED, or the exception the call threw")
    public String result;
}
