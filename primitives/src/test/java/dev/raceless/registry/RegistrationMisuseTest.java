package dev.raceless.registry;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link Registration#release()} without a call in progress is reported, and never leaves the
 * registration impossible to deregister: a registration that is registered cannot see it at the
 * release (that would cost the call path), so the next deregistration finds it, says so, and
 * repairs the count.
 */
class RegistrationMisuseTest {
    private final Registry<Probe> registry = new Registry<>();
    private final Registration<Probe> r = registry.register(new Probe("a"));

    @Test
    void tryDeregisterReportsAStrayReleaseAndLeavesTheRegistrationDeregistrable() {
        r.release(); // misuse: no call in progress
        IllegalStateException e = assertThrows(IllegalStateException.class, r::tryDeregister);
        assertTrue(e.getMessage().contains("release()"), e.getMessage());
        assertTrue(r.isRegistered(), "left registered");
        assertEquals(DeregisterResult.DEREGISTERED, r.tryDeregister(), "deregistrable afterwards");
        assertEquals(0, registry.size());
    }

    @Test
    void timedTryDeregisterReportsAStrayReleaseAndLeavesTheRegistrationDeregistrable() throws InterruptedException {
        r.release();
        assertThrows(IllegalStateException.class, () -> r.tryDeregister(1, TimeUnit.SECONDS));
        assertTrue(r.isRegistered());
        assertEquals(DeregisterResult.DEREGISTERED, r.tryDeregister(0, TimeUnit.SECONDS));
    }

    @Test
    void aCommittedDeregistrationRepairsAStrayReleaseAndFinishes() {
        r.release();
        r.release();
        assertEquals(DeregisterResult.DEREGISTERED, r.deregister(), "cannot roll back, so it repairs and finishes");
        assertTrue(r.isDeregistered());
        assertEquals(0, registry.size());
    }

    @Test
    void anAsyncDeregistrationRepairsAStrayReleaseAndFinishes() {
        r.release();
        assertEquals(DeregisterResult.DEREGISTERED, r.deregisterAsync().join());
        assertTrue(r.isDeregistered());
    }

    @Test
    void tryDeregisterAllReportsAStrayReleaseOnAMemberAndLeavesTheGroupDeregistrable() {
        Registration<Probe> other = new Registry<Probe>().register(new Probe("b"));
        RegistrationGroup group = new RegistrationGroup();
        group.add(other);
        group.add(r);
        r.release();
        assertThrows(IllegalStateException.class, group::tryDeregisterAll);
        assertTrue(r.isRegistered());
        assertTrue(other.isRegistered(), "all or nothing");
        assertEquals(DeregisterResult.DEREGISTERED, group.tryDeregisterAll());
    }

    @Test
    void deregisterAllRepairsAStrayReleaseOnAMemberAndFinishes() {
        Registration<Probe> other = new Registry<Probe>().register(new Probe("b"));
        RegistrationGroup group = new RegistrationGroup();
        group.add(other);
        group.add(r);
        r.release();
        assertEquals(DeregisterResult.DEREGISTERED, group.deregisterAll());
        assertTrue(r.isDeregistered());
        assertTrue(other.isDeregistered());
    }

    @Test
    void releaseOnADeregisteredRegistrationThrowsAndChangesNothing() {
        assertEquals(DeregisterResult.DEREGISTERED, r.tryDeregister());
        assertThrows(IllegalStateException.class, r::release);
        assertTrue(r.isDeregistered());
        assertFalse(r.tryAcquire());
    }

    @Test
    void nullArgumentsAreRefusedNamingTheParameter() {
        Registry<Probe> empty = new Registry<>();
        assertEquals("service", assertThrows(NullPointerException.class, () -> empty.register(null)).getMessage());
        assertEquals("action", assertThrows(NullPointerException.class, () -> empty.forEach(null)).getMessage());
        assertEquals("filter", assertThrows(NullPointerException.class, () -> empty.acquireFirst(null)).getMessage());
        assertEquals("unit", assertThrows(NullPointerException.class, () -> r.tryDeregister(1, null)).getMessage());
        assertEquals("registration",
                assertThrows(NullPointerException.class, () -> new RegistrationGroup().add(null)).getMessage());
        assertTrue(r.isRegistered());
    }
}
