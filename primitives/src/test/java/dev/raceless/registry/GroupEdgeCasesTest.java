package dev.raceless.registry;

import dev.raceless.testing.Background;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edge cases of groups found by review: a duplicate member is refused; an empty group answers
 * DEREGISTERED to both variants; a timed attempt taken over by a deregisterAll() that meets a
 * stray release on another member.
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
     * Misuse path only (a stray release()). deregisterAll() takes over a timed tryDeregister() in
     * progress on one member and finds a stray release on another. It used to undo its commit, so
     * the timed call it had taken over then reported ALREADY_DEREGISTERED for a registered
     * service. A committed deregistration no longer undoes anything: it repairs the count and
     * finishes, so the timed call's ALREADY_DEREGISTERED is true.
     */
    @Test
    void aTimedAttemptTakenOverByDeregisterAllThatMeetsAStrayReleaseReportsAlreadyTruthfully() {
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
        Background<DeregisterResult> all = Background.start("deregisterAll", group::deregisterAll);
        all.awaitParked(); // b repaired and shut down; waiting for the call into a (members finish in order)
        assertFalse(b.isRegistered());
        a.release(); // the call into a ends
        assertEquals(DeregisterResult.DEREGISTERED, all.join(), "deregisterAll took a over and finished both");
        assertEquals(DeregisterResult.ALREADY_DEREGISTERED, timed.join());
        assertTrue(a.isDeregistered(), "ALREADY_DEREGISTERED is true");
        assertEquals(0, registry.size());
    }
}
