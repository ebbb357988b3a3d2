package dev.raceless.registry;

import dev.raceless.testing.Background;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.raceless.testing.Background.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RegistrationGroup}: a module's registrations across registries, deregistered all or nothing. */
class RegistrationGroupTest {

    /** Three registries, one registration of module "m" in each, grouped. */
    private final Registry<Probe> filters = new Registry<>();
    private final Registry<Probe> codecs = new Registry<>();
    private final Registry<Probe> hooks = new Registry<>();
    private final Probe filter = new Probe("filter");
    private final Probe codec = new Probe("codec");
    private final Probe hook = new Probe("hook");
    private final RegistrationGroup group = new RegistrationGroup();
    private final Registration<Probe> rf = group.add(filters.register(filter));
    private final Registration<Probe> rc = group.add(codecs.register(codec));
    private final Registration<Probe> rh = group.add(hooks.register(hook));
    private final List<Registration<Probe>> all = List.of(rf, rc, rh);

    @Test
    void tryDeregisterAllRemovesEveryMemberWhenNoneIsBusy() {
        assertEquals(DeregisterResult.DEREGISTERED, group.tryDeregisterAll());
        for (Registration<Probe> r : all) {
            assertTrue(r.isDeregistered(), r + " deregistered");
            assertFalse(r.tryAcquire());
            assertEquals(0, r.registry().size());
        }
        assertEquals(DeregisterResult.ALREADY_DEREGISTERED, group.tryDeregisterAll());
        assertEquals(DeregisterResult.ALREADY_DEREGISTERED, group.deregisterAll());
    }

    /** The busy member first, in the middle, or last: members stopped before it are reopened. */
    @ParameterizedTest(name = "busy member {0}")
    @ValueSource(ints = {0, 1, 2})
    void tryDeregisterAllWithOneBusyMemberChangesNothing(int busy) {
        Registration<Probe> b = all.get(busy);
        assertTrue(b.tryAcquire());

        assertEquals(DeregisterResult.BUSY, group.tryDeregisterAll());

        for (Registration<Probe> r : all) {
            assertTrue(r.isRegistered(), r + " registered exactly as before");
            assertFalse(r.isDeregistered());
            assertEquals(1, r.registry().size());
        }
        filters.forEach(Probe::call);
        codecs.forEach(Probe::call);
        hooks.forEach(Probe::call);
        assertEquals(List.of(1, 1, 1), List.of(filter.calls.get(), codec.calls.get(), hook.calls.get()));

        b.release();
        assertEquals(DeregisterResult.DEREGISTERED, group.tryDeregisterAll());
        for (Registration<Probe> r : all) {
            assertTrue(r.isDeregistered());
        }
    }

    /** A member reopened by a failed attempt lives a new life; every variant still works on it. */
    @Test
    void membersReopenedByAFailedAttemptCanBeDeregisteredByEveryVariant() throws InterruptedException {
        assertTrue(rh.tryAcquire());
        assertEquals(DeregisterResult.BUSY, group.tryDeregisterAll()); // rf and rc were stopped and reopened
        assertEquals(DeregisterResult.BUSY, group.tryDeregisterAll());

        assertTrue(rf.tryAcquire());
        CompletableFuture<DeregisterResult> async = rf.deregisterAsync();
        assertFalse(async.isDone(), "a call in the new life is waited for");
        rf.release();
        assertEquals(DeregisterResult.DEREGISTERED, async.join());

        assertTrue(rc.tryAcquire());
        assertEquals(DeregisterResult.BUSY, rc.tryDeregister(0, TimeUnit.NANOSECONDS));
        rc.release();
        assertEquals(DeregisterResult.DEREGISTERED, rc.tryDeregister(0, TimeUnit.NANOSECONDS));

        rh.release();
        assertEquals(DeregisterResult.DEREGISTERED, rh.deregister());
    }

    @Test
    void tryDeregisterAllWithAMemberAlreadyDeregisteredReportsAlreadyAndChangesNothing() {
        assertEquals(DeregisterResult.DEREGISTERED, rc.tryDeregister());
        assertEquals(DeregisterResult.ALREADY_DEREGISTERED, group.tryDeregisterAll());
        assertTrue(rf.isRegistered());
        assertTrue(rh.isRegistered());
        assertEquals(DeregisterResult.DEREGISTERED, rf.tryDeregister());
        assertEquals(DeregisterResult.DEREGISTERED, rh.tryDeregister());
    }

    @Test
    void tryDeregisterAllWhileAMemberIsInATimedAttemptIsBusy() {
        assertTrue(rc.tryAcquire());
        Background<DeregisterResult> timed = Background.start("timed", () -> rc.tryDeregister(1, TimeUnit.HOURS));
        eventually(() -> !rc.isRegistered(), "the timed attempt refuses new calls");
        assertEquals(DeregisterResult.BUSY, group.tryDeregisterAll());
        assertTrue(rf.isRegistered());
        assertTrue(rh.isRegistered());
        timed.thread().interrupt();
        assertTrue(timed.joinFailure() instanceof InterruptedException);
        rc.release();
        assertEquals(DeregisterResult.DEREGISTERED, group.tryDeregisterAll());
    }

    @Test
    void deregisterAllRefusesNewCallsIntoEveryMemberAndWaitsForAll() {
        assertTrue(rf.tryAcquire());
        assertTrue(rh.tryAcquire());
        Background<DeregisterResult> blocking = Background.start("deregisterAll", group::deregisterAll);

        eventually(() -> all.stream().noneMatch(Registration::isRegistered), "every member refuses new calls");
        filters.forEach(Probe::call);
        codecs.forEach(Probe::call);
        hooks.forEach(Probe::call);
        assertEquals(List.of(0, 0, 0), List.of(filter.calls.get(), codec.calls.get(), hook.calls.get()));

        rf.release();
        blocking.awaitParked();
        assertFalse(blocking.isDone(), "a call into the hook is still in flight");
        assertFalse(rh.isDeregistered());

        rh.release();
        assertEquals(DeregisterResult.DEREGISTERED, blocking.join());
        for (Registration<Probe> r : all) {
            assertTrue(r.isDeregistered());
            assertEquals(0, r.registry().size());
        }
    }

    @Test
    void deregisterAllReportsPartialAndNamesItsOwnMembersIfAnotherCallDeregisteredOne() {
        assertEquals(DeregisterResult.DEREGISTERED, rf.tryDeregister());
        List<Registration<?>> mine = new ArrayList<>();
        assertEquals(DeregisterResult.PARTIAL, group.deregisterAll(mine), "rf was reported by its own call");
        assertEquals(List.of(rc, rh), mine, "the members this call deregistered, and only those");
        assertTrue(rc.isDeregistered() && rh.isDeregistered(), "the others are deregistered all the same");
        List<Registration<?>> none = new ArrayList<>();
        assertEquals(DeregisterResult.ALREADY_DEREGISTERED, group.deregisterAll(none), "this call did nothing");
        assertEquals(List.of(), none);
    }

    @Test
    void deregisterAllWithoutACollectionReportsPartialToo() {
        assertEquals(DeregisterResult.DEREGISTERED, rh.deregister());
        assertEquals(DeregisterResult.PARTIAL, group.deregisterAll());
        assertEquals(DeregisterResult.ALREADY_DEREGISTERED, group.deregisterAll());
    }

    @Test
    void theCollectionFormsNameEveryMemberWhenTheyDeregisterAll() {
        List<Registration<?>> mine = new ArrayList<>();
        assertEquals(DeregisterResult.DEREGISTERED, group.tryDeregisterAll(mine));
        assertEquals(List.of(rf, rc, rh), mine);
        List<Registration<?>> again = new ArrayList<>();
        assertEquals(DeregisterResult.ALREADY_DEREGISTERED, group.tryDeregisterAll(again));
        assertEquals(DeregisterResult.ALREADY_DEREGISTERED, group.deregisterAll(again));
        assertEquals(List.of(), again);
    }

    @Test
    void deregisterAllWaitsForAMemberThatAnotherCallIsDeregistering() {
        assertTrue(rc.tryAcquire());
        CompletableFuture<DeregisterResult> async = rc.deregisterAsync(); // rc is another call's now
        List<Registration<?>> mine = new CopyOnWriteArrayList<>();
        Background<DeregisterResult> blocking = Background.start("deregisterAll", () -> group.deregisterAll(mine));
        // members are finished in order: rf is removed, then deregisterAll waits for rc, then rh
        eventually(() -> rf.isDeregistered() && !rh.isRegistered(), "rf removed, rh refusing calls");
        blocking.awaitParked();
        assertFalse(blocking.isDone(), "waits for rc, which the async call owns");
        assertFalse(rh.tryAcquire());
        rc.release();
        assertEquals(DeregisterResult.DEREGISTERED, async.join());
        assertEquals(DeregisterResult.PARTIAL, blocking.join(), "rc was reported by the async call");
        assertEquals(List.of(rf, rh), mine, "the group names rf and rh, not rc");
    }

    @Test
    void tryDeregisterAllWhileADeregisterAllWaitsReportsAlreadyOrBusyAndChangesNothing() {
        assertTrue(rc.tryAcquire());
        Background<DeregisterResult> blocking = Background.start("deregisterAll", group::deregisterAll);
        eventually(() -> rf.isDeregistered() && !rh.isRegistered(), "rf removed, rh refusing calls");
        DeregisterResult r = group.tryDeregisterAll();
        assertTrue(r == DeregisterResult.ALREADY_DEREGISTERED || r == DeregisterResult.BUSY, r.toString());
        assertFalse(rc.isDeregistered());
        rc.release();
        assertEquals(DeregisterResult.DEREGISTERED, blocking.join());
    }

    @Test
    void emptyGroupAndMembers() {
        RegistrationGroup empty = new RegistrationGroup();
        assertEquals(List.of(), empty.members());
        assertEquals(DeregisterResult.DEREGISTERED, empty.tryDeregisterAll(), "vacuously all");
        assertEquals(List.of(rf, rc, rh), group.members());
        assertThrows(UnsupportedOperationException.class, () -> group.members().clear());
        assertThrows(NullPointerException.class, () -> group.add(null));
    }

    @Test
    void tryDeregisterAllWhileAMemberIsCommittedElsewhereReportsAlreadyAndChangesNothing() {
        assertTrue(rc.tryAcquire());
        CompletableFuture<DeregisterResult> async = rc.deregisterAsync(); // committed, waiting for the call
        assertEquals(DeregisterResult.ALREADY_DEREGISTERED, group.tryDeregisterAll());
        assertTrue(rf.isRegistered());
        assertTrue(rh.isRegistered());
        rc.release();
        assertEquals(DeregisterResult.DEREGISTERED, async.join());
    }
}
