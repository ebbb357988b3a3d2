package dev.raceless.grace;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A double exit without the debug property: synchronize() says so, repair() makes the domain usable again. */
class GraceDomainRepairTest {

    @Test
    void aDoubleExitIsReportedAndRepairMakesGracePeriodsCompleteAgain() {
        assumeTrue(!Boolean.getBoolean(GraceDomain.DEBUG_PROPERTY), "debug tracking refuses the second exit itself");
        GraceDomain d = new GraceDomain();
        int t = d.enter();
        d.exit(t);
        d.exit(t); // the stray one
        IllegalStateException e = assertThrows(IllegalStateException.class, d::synchronize);
        assertTrue(e.getMessage().contains("repair()"), e.getMessage());
        assertEquals(1, d.repair());
        d.synchronize();
        assertTrue(d.trySynchronize());
        int u = d.enter();
        assertTrue(!d.trySynchronize(), "a section opened after the repair is waited for");
        d.exit(u);
        assertTrue(d.trySynchronize());
        assertEquals(0, d.repair(), "nothing left to repair");
    }
}
