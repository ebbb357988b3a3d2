package dev.raceless.registry;

import dev.raceless.testing.Background;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edge cases of groups found by review. The first two were fixed (a duplicate member is refused;
 * an empty group answers DEREGISTERED to both variants). The third is a misuse-only corner left
 * open (see its note): it fails against the current code, so it is disabled; run it with
 * <pre>
 * mvn -pl primitives test -Dtest='dev.raceless.registry.GroupEdgeCasesTest' \
 *     -Djunit.jupiter.conditions.deactivate='org.junit.*DisabledCondition'
 * </pre>
 * and remove the {@code @Disabled} once a question is settled (or delete the test if the current
 * behaviour is the intended one, and document it).
 */
class GroupEdgeCasesTest {

    /**
     * A registration added to a group twice makes tryDeregisterAll() impossible: the group claims
     * the member, then fails to claim it again (its own claim), reports BUSY and undoes; every
     * attempt does the same, forever, while nothing is busy. add() accepts the duplicate
     * silently. Either add() should refuse it or tryDeregisterAll() should skip it.
     */
    @Test
    void aGroupWithARegistrationAddedTwiceCanStillBeDeregistered() {
        Registry<Probe> registry = new Registry<>();
        Registration<Probe> r = registry.register(new Probe("a"));
        RegistrationGroup group = new RegistrationGroup();
        group.add(r);
        try {
            group.add(r);
        } catch (IllegalArgumentException refused) {
            return; // refusing the duplicate is a fine answer too
        }
        assertEquals(DeregisterResult.DEREGISTERED, group.tryDeregisterAll(), "nothing is busy");
    }

    /**
     * An empty group: tryDeregisterAll() reports DEREGISTERED ("deregistered every member",
     * vacuously) while deregisterAll() reports ALREADY_DEREGISTERED ("deregistered no member").
     * The two variants should agree.
     */
    @Test
    void anEmptyGroupAnswersBothVariantsAlike() {
        RegistrationGroup empty = new RegistrationGroup();
        assertEquals(empty.tryDeregisterAll(), empty.deregisterAll());
    }

    /**
     * Misuse path only (a stray release()). deregisterAll() that takes over a timed
     * tryDeregister() in progress (claim TRYING -> COMMITTED) and then meets the misuse on a later
     * member undoes its commit with claim = REGISTERED and cancelShutdown(). The timed call is
     * still waiting; when it times out its rollBack() fails its CAS TRYING -> ROLLING_BACK and it
     * reports ALREADY_DEREGISTERED for a registration that is registered. Shown here with the
     * timed call interrupted instead of timing out (the same rollBack()).
     */
    @Disabled("known, misuse only (a stray release()): after deregisterAll() undoes a takeover, the timed call it took over reports ALREADY_DEREGISTERED for a registered service")
    @Test
    void aTimedAttemptTakenOverByAnUndoneDeregisterAllDoesNotReportAlready() {
        Registry<Probe> registry = new Registry<>();
        Registration<Probe> a = registry.register(new Probe("a"));
        Registration<Probe> b = registry.register(new Probe("b"));
        RegistrationGroup group = new RegistrationGroup();
        group.add(a);
        group.add(b);
        assertTrue(a.tryAcquire());
        Background<DeregisterResult> timed = Background.start("timed",
                () -> a.tryDeregister(1, java.util.concurrent.TimeUnit.HOURS));
        Background.eventually(() -> !a.isRegistered(), "the timed attempt refuses new calls");
        b.release(); // misuse on b
        assertThrows(IllegalStateException.class, group::deregisterAll);
        assertTrue(a.isRegistered(), "the undo made a registered again");
        timed.awaitParked();
        timed.thread().interrupt();
        DeregisterResult r;
        try {
            r = timed.join();
        } catch (AssertionError threwInterrupted) {
            return; // reporting the interrupt is consistent with "restored as on a timeout"
        }
        assertTrue(r != DeregisterResult.ALREADY_DEREGISTERED || a.isDeregistered(),
                "timed attempt reported " + r + " but the registration is " + (a.isRegistered() ? "registered" : "not registered"));
    }
}
