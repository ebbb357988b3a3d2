package dev.raceless.lincheck;

import dev.raceless.registry.DeregisterResult;

/** The sequential specification of one registration; mirrors {@link RegistrationLincheckTest}'s operations. */
public final class RegistrationSpec {
    private final MemberSpec r = new MemberSpec();

    public boolean tryAcquire(int thread) {
        return r.tryAcquire(thread);
    }

    public boolean release(int thread) {
        return r.release(thread);
    }

    public DeregisterResult tryDeregister() {
        return r.tryDeregister();
    }

    public void deregisterAsync() {
        r.deregisterAsync();
    }

    public boolean isRegistered() {
        return r.isRegistered();
    }

    public boolean isDeregistered() {
        return r.isDeregistered();
    }
}
