package dev.raceless.registry;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Registration#close()} ends a call exactly as {@link Registration#release()} does, for try-with-resources. */
class RegistrationCloseTest {
    private final Registry<Probe> registry = new Registry<>();
    private final Registration<Probe> r = registry.register(new Probe("a"));

    @Test
    void closeEndsACallLikeRelease() {
        assertTrue(r.tryAcquire());
        try (Registration<Probe> call = r) {
            assertEquals(DeregisterResult.BUSY, call.tryDeregister(), "a call is in flight");
        }
        assertEquals(DeregisterResult.DEREGISTERED, r.tryDeregister(), "close() ended it");
    }

    @Test
    void acquireFirstWorksWithTryWithResources() {
        try (Registration<Probe> call = registry.acquireFirst(p -> true)) {
            assertEquals(r, call);
            assertEquals(DeregisterResult.BUSY, r.tryDeregister());
        }
        try (Registration<Probe> none = registry.acquireFirst(p -> false)) {
            assertNull(none, "null is skipped by try-with-resources");
        }
        assertEquals(DeregisterResult.DEREGISTERED, r.tryDeregister());
    }

    @Test
    void closeWithoutACallOnADeregisteredRegistrationThrowsLikeRelease() {
        assertEquals(DeregisterResult.DEREGISTERED, r.tryDeregister());
        assertThrows(IllegalStateException.class, r::close);
        assertTrue(r.isDeregistered());
    }
}
