package dev.raceless.lincheck;

import dev.raceless.registry.DeregisterResult;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test support: counts the {@code DEREGISTERED} reports one registration got, from results and
 * from asynchronous futures whenever they complete, so that a {@code @Validate} check can demand
 * exactly one report for a deregistered registration and none for one that is not.
 */
final class Reports {
    private final AtomicInteger deregistered = new AtomicInteger();

    DeregisterResult count(DeregisterResult r) {
        if (r == DeregisterResult.DEREGISTERED) {
            deregistered.incrementAndGet();
        }
        return r;
    }

    void count(CompletableFuture<DeregisterResult> f) {
        f.thenAccept(this::count);
    }

    void check(String what, boolean isDeregistered) {
        int n = deregistered.get();
        if (n != (isDeregistered ? 1 : 0)) {
            throw new IllegalStateException(what + (isDeregistered ? " is" : " is not") + " deregistered, and "
                    + n + " calls reported DEREGISTERED for it");
        }
    }
}
