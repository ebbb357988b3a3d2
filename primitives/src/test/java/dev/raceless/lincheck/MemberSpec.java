package dev.raceless.lincheck;

import dev.raceless.registry.DeregisterResult;

/**
 * One registration as a sequential state machine, from the Javadoc of {@code Registration}:
 * registered, committed (a blocking or async deregistration waits for calls in flight) or
 * deregistered; a call is a use. Used by {@link RegistrationSpec} and {@link RegistrationGroupSpec}.
 */
final class MemberSpec {
    private static final int REGISTERED = 0;
    private static final int COMMITTED = 1;
    private static final int DEREGISTERED = 2;

    private int claim = REGISTERED;
    private int calls;
    private final Holdings holdings = new Holdings();

    boolean tryAcquire(int thread) {
        if (claim != REGISTERED) {
            return false;
        }
        calls++;
        holdings.took(thread);
        return true;
    }

    boolean release(int thread) {
        if (!holdings.holds(thread)) {
            return false;
        }
        calls--;
        holdings.dropped(thread);
        if (claim == COMMITTED && calls == 0) {
            claim = DEREGISTERED; // the last call ends: the async deregistration completes
        }
        return true;
    }

    DeregisterResult tryDeregister() {
        if (claim != REGISTERED) {
            return DeregisterResult.ALREADY_DEREGISTERED;
        }
        if (calls > 0) {
            return DeregisterResult.BUSY;
        }
        claim = DEREGISTERED;
        return DeregisterResult.DEREGISTERED;
    }

    void deregisterAsync() {
        if (claim == REGISTERED) {
            claim = calls == 0 ? DEREGISTERED : COMMITTED;
        }
    }

    boolean isDeregistered() {
        return claim == DEREGISTERED;
    }

    boolean isRegistered() {
        return claim == REGISTERED;
    }

    boolean isTaken() {
        return claim != REGISTERED;
    }

    boolean isBusy() {
        return calls > 0;
    }

    void deregisterNow() {
        claim = DEREGISTERED;
    }
}
