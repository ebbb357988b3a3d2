package dev.raceless.registry;

import dev.raceless.testing.Background;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.raceless.testing.Background.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Registration#deregister()}: no new call once it starts; returns when the calls in flight finish. */
class BlockingDeregisterTest {

    @Test
    void idleRegistrationIsDeregisteredAtOnce() {
        Registry<Probe> registry = new Registry<>();
        Registration<Probe> r = registry.register(new Probe("a"));
        assertEquals(DeregisterResult.DEREGISTERED, r.deregister());
        assertTrue(r.isDeregistered());
        assertEquals(0, registry.size());
    }

    @Test
    void waitsForTheCallsInFlightAndRefusesNewOnes() {
        Registry<Probe> registry = new Registry<>();
        Probe p = new Probe("a");
        Registration<Probe> r = registry.register(p);
        assertTrue(r.tryAcquire());
        assertTrue(r.tryAcquire()); // two calls in flight
        Background<DeregisterResult> blocking = Background.start("deregister", r::deregister);

        eventually(() -> !r.isRegistered(), "deregister() refuses new calls");
        assertFalse(r.tryAcquire());
        registry.forEach(Probe::call);
        assertNull(registry.acquireFirst(x -> true));
        assertEquals(0, p.calls.get(), "no new call starts once deregister() has started");
        blocking.awaitParked();

        r.release();
        assertFalse(blocking.isDone(), "one call is still in flight");
        assertFalse(r.isDeregistered());
        assertEquals(1, registry.size());

        r.release();
        assertEquals(DeregisterResult.DEREGISTERED, blocking.join());
        assertTrue(r.isDeregistered());
        assertEquals(0, registry.size());
    }

    @Test
    void waitsUninterruptiblyAndKeepsTheInterruptStatus() {
        Registry<Probe> registry = new Registry<>();
        Registration<Probe> r = registry.register(new Probe("a"));
        assertTrue(r.tryAcquire());
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        Background<DeregisterResult> blocking = Background.start("deregister", () -> {
            DeregisterResult result = r.deregister();
            interruptedAfter.set(Thread.currentThread().isInterrupted());
            return result;
        });
        eventually(() -> !r.isRegistered(), "deregister() refuses new calls");
        blocking.awaitParked();
        blocking.thread().interrupt();
        blocking.awaitParked(); // still waiting: the interrupt does not end it
        assertFalse(r.isDeregistered());

        r.release();
        assertEquals(DeregisterResult.DEREGISTERED, blocking.join());
        assertTrue(interruptedAfter.get(), "the interrupt status is kept");
    }

    @Test
    void aSecondBlockingDeregistrationWaitsForTheFirstAndReportsAlready() {
        Registry<Probe> registry = new Registry<>();
        Registration<Probe> r = registry.register(new Probe("a"));
        assertTrue(r.tryAcquire());
        Background<DeregisterResult> first = Background.start("first", r::deregister);
        eventually(() -> !r.isRegistered(), "the first deregister() refuses new calls");
        Background<DeregisterResult> second = Background.start("second", r::deregister);
        second.awaitParked();
        assertFalse(second.isDone(), "returns only once the registration is gone");

        r.release();
        assertEquals(DeregisterResult.DEREGISTERED, first.join());
        assertEquals(DeregisterResult.ALREADY_DEREGISTERED, second.join());
        assertEquals(0, registry.size());
    }

    @Test
    void aBlockingDeregistrationTakesOverATimedAttempt() {
        Registry<Probe> registry = new Registry<>();
        Registration<Probe> r = registry.register(new Probe("a"));
        assertTrue(r.tryAcquire());
        Background<DeregisterResult> timed = Background.start("timed",
                () -> r.tryDeregister(1, TimeUnit.HOURS));
        eventually(() -> !r.isRegistered(), "the timed attempt refuses new calls");
        Background<DeregisterResult> blocking = Background.start("deregister", r::deregister);
        blocking.awaitParked();

        r.release();
        DeregisterResult a = timed.join();
        DeregisterResult b = blocking.join();
        assertTrue((a == DeregisterResult.DEREGISTERED) != (b == DeregisterResult.DEREGISTERED),
                "exactly one reports DEREGISTERED: " + a + ", " + b);
        assertTrue(a != DeregisterResult.BUSY && b != DeregisterResult.BUSY, a + ", " + b);
        assertTrue(r.isDeregistered());
        assertEquals(0, registry.size());
    }
}
