package dev.raceless.registry;

/** What a deregistration did. A value, not an exception: BUSY is an ordinary outcome. */
public enum DeregisterResult {
    /** This call removed the registration: no call into the service is running and none can start. */
    DEREGISTERED,
    /**
     * Calls were in flight, and this call changed nothing: the registration is registered exactly
     * as before. Calls racing with the attempt may have found the service briefly absent.
     */
    BUSY,
    /** Another call has deregistered it, or has committed to deregistering it; this one did nothing. */
    ALREADY_DEREGISTERED,
    /**
     * A group's {@link RegistrationGroup#deregisterAll()} only: every member is deregistered, this
     * call deregistered some of them and other calls the others ({@link
     * RegistrationGroup#deregisterAll(java.util.Collection)} names this call's). A single
     * registration's deregistration never reports it.
     */
    PARTIAL
}
