package dev.raceless.refcount;

import dev.raceless.internal.Membarrier;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** UseCount.tryShutdownAll: all DEAD, or all as they were; one heavy barrier for the whole batch. */
class UseCountTryShutdownAllTest {

    private static List<UseCount> counts(int n) {
        List<UseCount> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(new UseCount());
        }
        return l;
    }

    @Test
    void idleCountsAllBecomeDead() {
        List<UseCount> l = counts(5);
        assertTrue(UseCount.tryShutdownAll(l));
        for (UseCount c : l) {
            assertEquals(UseCount.State.DEAD, c.state());
            assertTrue(c.termination().isDone());
        }
    }

    @Test
    void oneBusyCountLeavesEveryCountLiveAndUsable() {
        List<UseCount> l = counts(5);
        assertTrue(l.get(3).tryAcquire());
        assertFalse(UseCount.tryShutdownAll(l));
        for (UseCount c : l) {
            assertEquals(UseCount.State.LIVE, c.state());
            assertTrue(c.tryAcquire(), "a refused batch changed nothing: " + c);
            c.release();
        }
        l.get(3).release();
        assertTrue(UseCount.tryShutdownAll(l));
    }

    @Test
    void aCountThatIsNotLiveFailsTheBatchAndTheOthersStayLive() {
        List<UseCount> l = counts(4);
        l.get(2).shutdown(); // idle: DEAD at once
        assertFalse(UseCount.tryShutdownAll(l));
        assertEquals(UseCount.State.LIVE, l.get(0).state());
        assertEquals(UseCount.State.LIVE, l.get(1).state());
        assertEquals(UseCount.State.DEAD, l.get(2).state());
        assertEquals(UseCount.State.LIVE, l.get(3).state());
    }

    @Test
    void aNegativeCountThrowsAndLeavesEveryCountLive() {
        List<UseCount> l = counts(3);
        l.get(1).release(); // a release without an acquire on a LIVE count: not seen until counted
        assertThrows(IllegalStateException.class, () -> UseCount.tryShutdownAll(l));
        for (UseCount c : l) {
            assertEquals(UseCount.State.LIVE, c.state());
        }
    }

    @Test
    void nullsAreRefusedWithTheirName() {
        assertEquals("counts",
                assertThrows(NullPointerException.class, () -> UseCount.tryShutdownAll(null)).getMessage());
        List<UseCount> l = counts(1);
        l.add(null);
        assertThrows(NullPointerException.class, () -> UseCount.tryShutdownAll(l));
        assertEquals(UseCount.State.LIVE, l.get(0).state(), "the count moved before the null was given back");
    }

    @Test
    void aBatchPaysOneHeavyBarrierNotOnePerCount() {
        assumeTrue(ReadSide.active() == ReadSide.ASYMMETRIC, "only the ASYMMETRIC read side has a heavy barrier");
        List<UseCount> l = counts(16);
        long before = Membarrier.calls();
        assertTrue(UseCount.tryShutdownAll(l));
        assertEquals(1, Membarrier.calls() - before);
        List<UseCount> one = counts(16);
        before = Membarrier.calls();
        for (UseCount c : one) {
            assertTrue(c.tryShutdown());
        }
        assertEquals(16, Membarrier.calls() - before, "one by one: one barrier each");
    }
}
