package dev.raceless.registry;

import dev.raceless.testing.Background;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.raceless.testing.Background.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Registration#tryDeregister(long, TimeUnit)}: refuses new calls, waits for the calls in
 * flight, and on timeout (or interrupt) takes the service back into use and reports BUSY.
 */
class TimedTryDeregisterTest {

    @Test
    void idleRegistrationIsDeregisteredWithoutWaiting() throws InterruptedException {
        Registry<Probe> registry = new Registry<>();
        Registration<Probe> r = registry.register(new Probe("a"));
        assertEquals(DeregisterResult.DEREGISTERED, r.tryDeregister(0, TimeUnit.NANOSECONDS));
        assertTrue(r.isDeregistered());
        assertEquals(0, registry.size());
    }

    @Test
    void callsThatFinishWithinTheWaitLetItSucceed() {
        Registry<Probe> registry = new Registry<>();
        Probe p = new Probe("a");
        Registration<Probe> r = registry.register(p);
        assertTrue(r.tryAcquire());
        Background<DeregisterResult> timed = Background.start("timed", () -> r.tryDeregister(1, TimeUnit.HOURS));

        eventually(() -> !r.isRegistered(), "the timed attempt refuses new calls");
        assertFalse(r.tryAcquire(), "no new call while it waits");
        registry.forEach(Probe::call);
        assertEquals(0, p.calls.get());
        assertFalse(timed.isDone(), "a call is still in flight");

        r.release();
        assertEquals(DeregisterResult.DEREGISTERED, timed.join());
        assertTrue(r.isDeregistered());
        assertEquals(0, registry.size());
    }

    @Test
    void timeoutTakesTheServiceBackAndReportsBusy() throws InterruptedException {
        Registry<Probe> registry = new Registry<>();
        Probe p = new Probe("a");
        Registration<Probe> r = registry.register(p);
        assertTrue(r.tryAcquire());

        assertEquals(DeregisterResult.BUSY, r.tryDeregister(1, TimeUnit.MILLISECONDS));

        assertTrue(r.isRegistered());
        assertEquals(1, registry.size());
        registry.forEach(Probe::call);
        assertEquals(1, p.calls.get(), "callable again");
        r.release();
        assertEquals(DeregisterResult.DEREGISTERED, r.tryDeregister(0, TimeUnit.SECONDS));
    }

    @Test
    void zeroTimeoutWithACallInFlightIsBusy() throws InterruptedException {
        Registry<Probe> registry = new Registry<>();
        Registration<Probe> r = registry.register(new Probe("a"));
        assertTrue(r.tryAcquire());
        assertEquals(DeregisterResult.BUSY, r.tryDeregister(0, TimeUnit.NANOSECONDS));
        assertTrue(r.isRegistered());
        r.release();
    }

    @Test
    void aRolledBackRegistrationCanBeDeregisteredByEveryVariant() throws InterruptedException {
        Registry<Probe> registry = new Registry<>();
        Registration<Probe> a = registry.register(new Probe("a"));
        Registration<Probe> b = registry.register(new Probe("b"));
        Registration<Probe> c = registry.register(new Probe("c"));
        for (Registration<Probe> r : List.of(a, b, c)) {
            assertTrue(r.tryAcquire());
            assertEquals(DeregisterResult.BUSY, r.tryDeregister(0, TimeUnit.NANOSECONDS));
            r.release();
        }
        assertEquals(DeregisterResult.DEREGISTERED, a.tryDeregister());
        assertEquals(DeregisterResult.DEREGISTERED, b.deregister());
        assertEquals(DeregisterResult.DEREGISTERED, c.deregisterAsync().join());
        assertEquals(0, registry.size());
    }

    @Test
    void interruptedWaitTakesTheServiceBackAndThrows() {
        Registry<Probe> registry = new Registry<>();
        Registration<Probe> r = registry.register(new Probe("a"));
        assertTrue(r.tryAcquire());
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedException.class, () -> r.tryDeregister(1, TimeUnit.HOURS));
        } finally {
            Thread.interrupted();
        }
        assertTrue(r.isRegistered(), "restored as on a timeout");
        assertTrue(r.tryAcquire());
        r.release();
        r.release();
        assertEquals(DeregisterResult.DEREGISTERED, r.tryDeregister());
    }

    @Test
    void interruptFromAnotherThreadWhileWaiting() {
        Registry<Probe> registry = new Registry<>();
        Registration<Probe> r = registry.register(new Probe("a"));
        assertTrue(r.tryAcquire());
        Background<DeregisterResult> timed = Background.start("timed", () -> r.tryDeregister(1, TimeUnit.HOURS));
        eventually(() -> !r.isRegistered(), "the timed attempt refuses new calls");
        timed.awaitParked();
        timed.thread().interrupt();
        assertInstanceOf(InterruptedException.class, timed.joinFailure());
        assertTrue(r.isRegistered());
        r.release();
        assertEquals(DeregisterResult.DEREGISTERED, r.tryDeregister());
    }

    @Test
    void negativeTimeoutIsRejectedAndChangesNothing() {
        Registry<Probe> registry = new Registry<>();
        Registration<Probe> r = registry.register(new Probe("a"));
        assertThrows(IllegalArgumentException.class, () -> r.tryDeregister(-1, TimeUnit.SECONDS));
        assertThrows(NullPointerException.class, () -> r.tryDeregister(1, null));
        assertTrue(r.isRegistered());
        assertEquals(DeregisterResult.DEREGISTERED, r.tryDeregister());
    }

    @Test
    void tryDeregisterWhileATimedAttemptWaitsIsBusy() {
        Registry<Probe> registry = new Registry<>();
        Registration<Probe> r = registry.register(new Probe("a"));
        assertTrue(r.tryAcquire());
        Background<DeregisterResult> timed = Background.start("timed", () -> r.tryDeregister(1, TimeUnit.HOURS));
        eventually(() -> !r.isRegistered(), "the timed attempt refuses new calls");
        assertEquals(DeregisterResult.BUSY, r.tryDeregister(), "the timed attempt owns it and may roll back");
        r.release();
        assertEquals(DeregisterResult.DEREGISTERED, timed.join());
    }

    /**
     * A blocking (here: asynchronous) deregistration that meets a timed attempt takes it over; the
     * timed attempt then reports ALREADY_DEREGISTERED instead of rolling back. Whether the
     * takeover lands inside the timed wait is a race, so the wait grows each round until it does;
     * every round must be consistent either way.
     */
    @Test
    void asyncDeregistrationTakesOverATimedAttempt() throws InterruptedException {
        int takeovers = 0;
        for (int round = 0; round < 24 && takeovers == 0; round++) { // waits of 1 us .. 8 s
            Registry<Probe> registry = new Registry<>();
            Registration<Probe> r = registry.register(new Probe("a"));
            assertTrue(r.tryAcquire());
            CompletableFuture<CompletableFuture<DeregisterResult>> async = new CompletableFuture<>();
            AtomicBoolean timedReturned = new AtomicBoolean();
            Background<Void> taker = Background.start("taker", () -> {
                eventually(() -> !r.isRegistered() || timedReturned.get(), "the timed attempt begins or ends");
                async.complete(r.deregisterAsync());
                return null;
            });
            DeregisterResult timed = r.tryDeregister(1L << round, TimeUnit.MICROSECONDS);
            timedReturned.set(true);
            taker.join();
            CompletableFuture<DeregisterResult> asyncResult = async.join();
            if (timed == DeregisterResult.ALREADY_DEREGISTERED) {
                takeovers++;
                assertFalse(r.tryAcquire(), "taken over: the shutdown stands");
                assertFalse(asyncResult.isDone(), "a call is still in flight");
            } else {
                assertEquals(DeregisterResult.BUSY, timed);
            }
            r.release();
            assertEquals(DeregisterResult.DEREGISTERED, asyncResult.join());
            assertTrue(r.isDeregistered());
            assertEquals(0, registry.size());
        }
        assertTrue(takeovers > 0, "the takeover never landed inside a timed wait");
    }
}
