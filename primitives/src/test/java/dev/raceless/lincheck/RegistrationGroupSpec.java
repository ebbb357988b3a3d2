package dev.raceless.lincheck;

import dev.raceless.registry.DeregisterResult;

/**
 * The sequential specification of a group of two registrations, from the Javadoc of
 * {@code RegistrationGroup}: {@code tryDeregisterAll} is all or nothing, and names (deregisters)
 * every member on {@code DEREGISTERED} and none otherwise. Mirrors
 * {@link RegistrationGroupLincheckTest}'s operations.
 */
public final class RegistrationGroupSpec {
    private final MemberSpec[] m = {new MemberSpec(), new MemberSpec()};

    public boolean tryAcquire(int member, int thread) {
        return m[member].tryAcquire(thread);
    }

    public boolean release(int member, int thread) {
        return m[member].release(thread);
    }

    public DeregisterResult tryDeregister(int member) {
        return m[member].tryDeregister();
    }

    public void deregisterAsync(int member) {
        m[member].deregisterAsync();
    }

    public boolean isDeregistered(int member) {
        return m[member].isDeregistered();
    }

    public DeregisterResult tryDeregisterAll() {
        for (MemberSpec s : m) {
            if (s.isTaken()) {
                return DeregisterResult.ALREADY_DEREGISTERED;
            }
        }
        for (MemberSpec s : m) {
            if (s.isBusy()) {
                return DeregisterResult.BUSY;
            }
        }
        for (MemberSpec s : m) {
            s.deregisterNow();
        }
        return DeregisterResult.DEREGISTERED;
    }
}
