package dev.raceless.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A deferred action (callAfterGrace) threw. */
@Name("dev.raceless.DeferredActionFailed")
@Label("Deferred Action Failed")
@Category("raceless")
@Description("An action queued with GraceDomain.callAfterGrace threw; the other actions went on")
public final class ActionFailedEvent extends Event {
    /** Filled in by the emitter. */
    public ActionFailedEvent() {
    }

    /** Domain. */
    @Label("Domain")
    public String domain;
    /** Action. */
    @Label("Action")
    public String action;
    /** Failure. */
    @Label("Failure")
    public String failure;
}
