package dev.raceless.stress.registry;

import dev.raceless.registry.Registration;

/**
 * What an arbiter sees of a registration once both actors are done: {@code registered} (in its
 * registry, callable, not deregistered) or {@code removed} (deregistered, gone from its registry,
 * refusing calls). Any mix of the two is reported as {@code INCONSISTENT[...]}, which every test
 * forbids.
 */
final class RegistrationView {
    private RegistrationView() {
    }

    static String of(Registration<?> r) {
        boolean listed = r.registry().registrations().contains(r);
        boolean deregistered = r.isDeregistered();
        boolean registered = r.isRegistered();
        boolean callable = r.tryAcquire();
        if (callable) {
            r.release();
        }
        if (listed && registered && callable && !deregistered) {
            return "registered";
        }
        if (!listed && !registered && !callable && deregistered) {
            return "removed";
        }
        return "INCONSISTENT[listed=" + listed + " registered=" + registered + " callable=" + callable
                + " deregistered=" + deregistered + "]";
    }
}
