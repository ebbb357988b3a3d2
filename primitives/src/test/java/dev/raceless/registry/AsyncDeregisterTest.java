package dev.raceless.registry;

import dev.raceless.testing.Background;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Registration#deregisterAsync()}: refuses new calls at once; completes when the last call in flight ends. */
class AsyncDeregisterTest {

    @Test
    void idleRegistrationCompletesAtOnceOnTheCallingThread() {
        Registry<Probe> registry = new Registry<>();
        Registration<Probe> r = registry.register(new Probe("a"));
        CompletableFuture<DeregisterResult> f = r.deregisterAsync();
        assertTrue(f.isDone());
        assertEquals(DeregisterResult.DEREGISTERED, f.join());
        assertEquals(0, registry.size());
    }

    @Test
    void completesWhenTheLastCallInFlightEndsOnThatCallsThread() {
        Registry<Probe> registry = new Registry<>();
        Registration<Probe> r = registry.register(new Probe("a"));
        assertTrue(r.tryAcquire());
        assertTrue(r.tryAcquire());
        CompletableFuture<DeregisterResult> f = r.deregisterAsync();
        AtomicReference<Thread> completer = new AtomicReference<>();
        AtomicReference<Boolean> removedWhenCompleted = new AtomicReference<>();
        CompletableFuture<Void> observed = f.thenRun(() -> {
            completer.set(Thread.currentThread());
            removedWhenCompleted.set(registry.size() == 0 && r.isDeregistered());
        });

        assertFalse(r.tryAcquire(), "no new call from the moment deregisterAsync() returned");
        assertFalse(f.isDone());
        r.release();
        assertFalse(f.isDone(), "one call is still in flight");

        Background<Void> last = Background.start("last-caller", () -> {
            r.release();
            return null;
        });
        last.join();
        observed.join();
        assertEquals(DeregisterResult.DEREGISTERED, f.join());
        assertSame(last.thread(), completer.get(), "completed on the thread whose release ended the last call");
        assertTrue(removedWhenCompleted.get(), "every trace is gone when the future completes");
    }

    @Test
    void aSecondAsyncDeregistrationCompletesWithAlreadyAfterTheFirst() {
        Registry<Probe> registry = new Registry<>();
        Registration<Probe> r = registry.register(new Probe("a"));
        assertTrue(r.tryAcquire());
        CompletableFuture<DeregisterResult> first = r.deregisterAsync();
        CompletableFuture<DeregisterResult> second = r.deregisterAsync();
        assertFalse(second.isDone(), "completes only once the registration is gone");
        assertEquals(DeregisterResult.ALREADY_DEREGISTERED, r.tryDeregister(), "a committed deregistration owns it");
        r.release();
        assertEquals(DeregisterResult.DEREGISTERED, first.join());
        assertEquals(DeregisterResult.ALREADY_DEREGISTERED, second.join());
    }

    @Test
    void blockingDeregistrationAfterAnAsyncOneWaitsForIt() {
        Registry<Probe> registry = new Registry<>();
        Registration<Probe> r = registry.register(new Probe("a"));
        assertTrue(r.tryAcquire());
        CompletableFuture<DeregisterResult> async = r.deregisterAsync();
        Background<DeregisterResult> blocking = Background.start("deregister", r::deregister);
        blocking.awaitParked();
        assertFalse(blocking.isDone());
        r.release();
        assertEquals(DeregisterResult.DEREGISTERED, async.join());
        assertEquals(DeregisterResult.ALREADY_DEREGISTERED, blocking.join());
    }
}
