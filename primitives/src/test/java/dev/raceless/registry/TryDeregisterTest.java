package dev.raceless.registry;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Registration#tryDeregister()}: never blocks; DEREGISTERED (every trace gone) or BUSY (nothing changed). */
class TryDeregisterTest {

    @Test
    void tryDeregisterOnAnIdleRegistrationRemovesEveryTrace() {
        Registry<Probe> registry = new Registry<>();
        Probe p = new Probe("a");
        Registration<Probe> r = registry.register(p);
        assertEquals(DeregisterResult.DEREGISTERED, r.tryDeregister());
        assertTrue(r.isDeregistered());
        assertFalse(r.isRegistered());
        assertEquals(0, registry.size());
        assertFalse(r.tryAcquire(), "no call can start");
        registry.forEach(Probe::call);
        assertEquals(0, p.calls.get());
    }

    @Test
    void tryDeregisterWithACallInFlightIsBusyAndChangesNothing() {
        Registry<Probe> registry = new Registry<>();
        Probe p = new Probe("a");
        Registration<Probe> r = registry.register(p);
        assertTrue(r.tryAcquire());

        assertEquals(DeregisterResult.BUSY, r.tryDeregister());

        assertTrue(r.isRegistered());
        assertFalse(r.isDeregistered());
        assertEquals(1, registry.size());
        registry.forEach(Probe::call);
        assertEquals(1, p.calls.get(), "still called, exactly as before");
        assertTrue(r.tryAcquire(), "a second call can start");
        r.release();
        r.release();
        assertEquals(DeregisterResult.DEREGISTERED, r.tryDeregister());
    }

    @Test
    void busyAttemptsCanBeRepeated() {
        Registry<Probe> registry = new Registry<>();
        Registration<Probe> r = registry.register(new Probe("a"));
        assertTrue(r.tryAcquire());
        for (int i = 0; i < 100; i++) {
            assertEquals(DeregisterResult.BUSY, r.tryDeregister());
            assertTrue(r.isRegistered());
        }
        r.release();
        assertEquals(DeregisterResult.DEREGISTERED, r.tryDeregister());
    }

    @Test
    void everyVariantReportsAlreadyDeregisteredAfterASuccess() throws InterruptedException {
        Registry<Probe> registry = new Registry<>();
        registry.register(new Probe("other"));
        Registration<Probe> r = registry.register(new Probe("a"));
        assertEquals(DeregisterResult.DEREGISTERED, r.tryDeregister());

        assertEquals(DeregisterResult.ALREADY_DEREGISTERED, r.tryDeregister());
        assertEquals(DeregisterResult.ALREADY_DEREGISTERED, r.tryDeregister(1, TimeUnit.SECONDS));
        assertEquals(DeregisterResult.ALREADY_DEREGISTERED, r.deregister());
        assertEquals(DeregisterResult.ALREADY_DEREGISTERED, r.deregisterAsync().join());

        assertTrue(r.isDeregistered());
        assertFalse(r.tryAcquire());
        assertEquals(1, registry.size(), "the other registration is untouched");
        assertEquals("other", registry.registrations().get(0).service().name);
    }

    @Test
    void releaseWithoutACallIsRejectedOnceDeregistered() {
        Registry<Probe> registry = new Registry<>();
        Registration<Probe> r = registry.register(new Probe("a"));
        assertEquals(DeregisterResult.DEREGISTERED, r.tryDeregister());
        assertThrows(IllegalStateException.class, r::release);
        assertTrue(r.isDeregistered());
        assertEquals(DeregisterResult.ALREADY_DEREGISTERED, r.tryDeregister());
    }
}
