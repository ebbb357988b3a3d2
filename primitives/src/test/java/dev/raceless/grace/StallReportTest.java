package dev.raceless.grace;

import dev.raceless.refcount.UseCount;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.raceless.grace.GraceTesting.join;
import static dev.raceless.grace.GraceTesting.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Stall reports: a synchronize() or awaitTermination() that keeps waiting is reported once per
 * stall, naming what waits and on what. The thresholds are tiny here; nothing asserts a duration:
 * the test waits for the report to arrive, with a deadline that only turns a hang into a failure.
 */
class StallReportTest {

    private static void awaitReports(List<String> reports, int n) {
        long deadline = System.nanoTime() + GraceTesting.PATIENCE_NANOS;
        while (reports.size() < n) {
            if (System.nanoTime() - deadline > 0) {
                fail("no stall report arrived: " + reports);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void aSynchronizeThatWaitsOnAnOpenSectionIsReportedOnce() throws Exception {
        GraceDomain d = new GraceDomain();
        List<String> reports = new CopyOnWriteArrayList<>();
        d.reportStalls(20, TimeUnit.MILLISECONDS, reports::add);
        int t = d.enter();
        Thread updater = start("updater", d::synchronize);
        awaitReports(reports, 1);
        String r = reports.get(0);
        assertTrue(r.contains("updater") && r.contains("epoch index") && r.contains("1 open"), r);
        Thread.sleep(100); // a stall is reported once, not once per threshold
        d.exit(t);
        join(updater);
        assertEquals(1, reports.size(), reports.toString());
    }

    @Test
    void anAwaitTerminationThatWaitsOnAHeldUseIsReportedOnce() throws Exception {
        UseCount c = new UseCount();
        List<String> reports = new CopyOnWriteArrayList<>();
        c.reportStalls(20, TimeUnit.MILLISECONDS, reports::add);
        assertTrue(c.tryAcquire());
        c.shutdown();
        Thread waiter = start("terminator", () -> {
            try {
                c.awaitTermination();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        awaitReports(reports, 1);
        assertTrue(reports.get(0).contains("terminator") && reports.get(0).contains("GOING"), reports.get(0));
        c.release();
        join(waiter);
        assertEquals(1, reports.size(), reports.toString());
    }

    @Test
    void aTimedWaitShorterThanTheThresholdReportsNothing() throws Exception {
        UseCount c = new UseCount();
        List<String> reports = new CopyOnWriteArrayList<>();
        c.reportStalls(1, TimeUnit.HOURS, reports::add);
        assertTrue(c.tryAcquire());
        c.shutdown();
        assertTrue(!c.awaitTermination(1, TimeUnit.MILLISECONDS));
        assertTrue(reports.isEmpty(), reports.toString());
        c.release();
    }

    @Test
    void aThresholdMustBePositive() {
        assertThrows(IllegalArgumentException.class,
                () -> new GraceDomain().reportStalls(0, TimeUnit.SECONDS, r -> { }));
        assertThrows(IllegalArgumentException.class, () -> new UseCount().reportStalls(-1, TimeUnit.SECONDS, r -> { }));
        assertThrows(NullPointerException.class, () -> new UseCount().reportStalls(1, TimeUnit.SECONDS, null));
    }
}
