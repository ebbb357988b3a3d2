package dev.raceless.registry;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test support: a registered service that notices a call running after its deregistration was
 * reported. A test sets {@link #deregistered} once a deregistration has returned
 * {@code DEREGISTERED}; a call reads it on entry and on exit, so a call that overlaps that moment,
 * or starts after it, is counted in {@link #violations}.
 */
final class Probe {
    final String name;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger violations = new AtomicInteger();
    /** Set by the test after a deregistration of this service reported DEREGISTERED. */
    volatile boolean deregistered;

    Probe(String name) {
        this.name = name;
    }

    /** One call into the service; must run inside a use of its registration. */
    void call() {
        if (deregistered) {
            violations.incrementAndGet();
        }
        calls.incrementAndGet();
        if (deregistered) {
            violations.incrementAndGet();
        }
    }

    @Override
    public String toString() {
        return "Probe[" + name + "]";
    }
}
