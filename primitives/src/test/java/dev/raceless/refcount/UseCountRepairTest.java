package dev.raceless.refcount;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without debug tracking, a corrupted count says so and repair() is the way out. */
class UseCountRepairTest {

    @Test
    void aDoubleReleaseMakesShutdownThrowUntilRepairAcceptsIt() {
        UseCount c = new UseCount();
        assertTrue(c.tryAcquire());
        c.release();
        c.release(); // the stray one: silent on a LIVE count without debug tracking
        IllegalStateException e = assertThrows(IllegalStateException.class, c::shutdown);
        assertTrue(e.getMessage().contains("repair()"), e.getMessage());
        assertEquals(UseCount.State.LIVE, c.state(), "the refused shutdown left the count LIVE");
        assertEquals(1, c.repair());
        c.shutdown();
        assertEquals(UseCount.State.DEAD, c.state());
    }

    @Test
    void repairOfAHealthyCountAddsNothingAndKeepsItsUses() {
        UseCount c = new UseCount();
        assertTrue(c.tryAcquire());
        assertEquals(0, c.repair());
        c.shutdown();
        assertEquals(UseCount.State.GOING, c.state(), "the use held is still counted");
        c.release();
        assertEquals(UseCount.State.DEAD, c.state());
    }
}
