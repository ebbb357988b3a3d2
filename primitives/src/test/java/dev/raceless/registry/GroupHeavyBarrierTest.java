package dev.raceless.registry;

import dev.raceless.internal.Membarrier;
import dev.raceless.refcount.ReadSide;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A group of N registrations deregistered together pays one heavy barrier, not N (ASYMMETRIC read side). */
class GroupHeavyBarrierTest {
    @Test
    void tryDeregisterAllOfEightMembersRunsOneMembarrier() {
        assumeTrue(ReadSide.active() == ReadSide.ASYMMETRIC, "only the ASYMMETRIC read side has a heavy barrier");
        Registry<Runnable> registry = new Registry<>();
        RegistrationGroup group = new RegistrationGroup();
        for (int i = 0; i < 8; i++) {
            group.add(registry.register(() -> { }));
        }
        long before = Membarrier.calls();
        assertEquals(DeregisterResult.DEREGISTERED, group.tryDeregisterAll());
        assertEquals(1, Membarrier.calls() - before);
    }
}
