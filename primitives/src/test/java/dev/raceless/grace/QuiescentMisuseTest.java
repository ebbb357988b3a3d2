package dev.raceless.grace;

import dev.raceless.grace.QuiescentTesting.Driven;
import dev.raceless.testing.VirtualThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Misuse of a QuiescentDomain throws with a message that says what the caller did, and changes nothing. */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // a hang fails the test instead of the build
class QuiescentMisuseTest {

    @Test
    void badArgumentsAreRefused() {
        QuiescentDomain d = new QuiescentDomain();
        assertThrows(NullPointerException.class, () -> d.callAfterGrace(null));
        assertThrows(NullPointerException.class, () -> d.trySynchronize(1, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> d.trySynchronize(-1, TimeUnit.SECONDS));
        assertTrue(e.getMessage().contains("must not be negative"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.reportStalls(0, TimeUnit.SECONDS, r -> { }));
        assertThrows(NullPointerException.class, () -> d.reportStalls(1, TimeUnit.SECONDS, null));
        assertThrows(IllegalArgumentException.class, () -> d.newFixedThreadPool(0));
        assertThrows(NullPointerException.class, () -> new QuiescentDomain(null, (a, t) -> { }));
        assertThrows(NullPointerException.class, () -> new QuiescentDomain("x", null));
        assertEquals(0, d.gracePeriodsCompleted());
    }

    @Test
    void theReaderStateMachineRefusesWrongTransitions() {
        QuiescentDomain d = new QuiescentDomain();
        QuiescentDomain.Reader r = d.register();
        try {
            IllegalStateException twice = assertThrows(IllegalStateException.class, d::register);
            assertTrue(twice.getMessage().contains("registered"), twice.getMessage());
            assertSame(r, d.reader());
            IllegalStateException on = assertThrows(IllegalStateException.class, r::online);
            assertTrue(on.getMessage().contains("online already"), on.getMessage());
            assertTrue(r.isOnline());
            r.offline();
            assertThrows(IllegalStateException.class, r::offline);
            IllegalStateException q = assertThrows(IllegalStateException.class, r::quiescent);
            assertTrue(q.getMessage().contains("offline"), q.getMessage());
            assertFalse(r.isOnline());
            r.online();
            r.quiescent();
        } finally {
            r.unregister();
        }
        r.unregister(); // idempotent
        IllegalStateException after = assertThrows(IllegalStateException.class, r::quiescent);
        assertTrue(after.getMessage().contains("unregistered"), after.getMessage());
        assertThrows(IllegalStateException.class, r::online);
        assertThrows(IllegalStateException.class, r::offline);
        assertEquals(0, d.registeredReaders());
        d.register().close(); // a thread may register again
    }

    private static void assertSame(Object a, Object b) {
        org.junit.jupiter.api.Assertions.assertSame(a, b);
    }

    @Test
    void aReaderIsConfinedToItsThread() throws Exception {
        QuiescentDomain d = new QuiescentDomain();
        try (Driven owner = new Driven("owner").register(d)) {
            QuiescentDomain.Reader r = owner.reader;
            for (Runnable call : new Runnable[] {r::quiescent, r::offline, r::online, r::unregister}) {
                IllegalStateException e = assertThrows(IllegalStateException.class, call::run);
                assertTrue(e.getMessage().contains("confined") && e.getMessage().contains("owner"), e.getMessage());
            }
            assertTrue(r.isOnline());
            assertEquals(1, d.registeredReaders());
            assertFalse(d.trySynchronize(), "still online: nothing was changed");
        }
    }

    @Test
    void aVirtualThreadCannotRegisterAndIsPointedToGraceDomain() throws Exception {
        assumeTrue(VirtualThreads.supported(), "virtual threads need JDK 21+");
        QuiescentDomain d = new QuiescentDomain();
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        VirtualThreads.start(() -> {
            try {
                d.register();
                thrown.complete(null);
            } catch (Throwable e) {
                thrown.complete(e);
            }
        });
        Throwable e = thrown.get(1, TimeUnit.MINUTES);
        assertTrue(e instanceof UnsupportedOperationException, String.valueOf(e));
        assertTrue(e.getMessage().contains("GraceDomain"), e.getMessage());
        assertEquals(0, d.registeredReaders());
    }
}
