package dev.raceless.grace;

import dev.raceless.refcount.ReadSide;
import dev.raceless.refcount.UseCount;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.raceless.grace.GraceTesting.join;
import static dev.raceless.grace.GraceTesting.start;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A wait on oneself, without debug tracking: the stall report says when the waiting thread's own
 * slot shows more sections entered (uses taken) than it ended, and says nothing when it does not.
 * Thresholds are tiny; nothing asserts a duration. The waits are timed, and interrupted once the
 * report has arrived.
 */
class SelfWaitStallReportTest {

    private static String awaitReport(List<String> reports) {
        long deadline = System.nanoTime() + GraceTesting.PATIENCE_NANOS;
        while (reports.isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                fail("no stall report arrived");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        return reports.get(0);
    }

    @Test
    void aSynchronizeInsideItsOwnSectionIsReportedAsWaitingOnItself() throws Exception {
        GraceDomain d = new GraceDomain();
        List<String> reports = new CopyOnWriteArrayList<>();
        d.reportStalls(20, TimeUnit.MILLISECONDS, reports::add);
        Thread self = start("self-waiter", () -> {
            int t = d.enter();
            try {
                d.trySynchronize(1, TimeUnit.HOURS);
            } catch (InterruptedException expected) {
                // the test ends the wait
            } finally {
                d.exit(t);
            }
        });
        String r = awaitReport(reports);
        self.interrupt();
        join(self);
        assertTrue(r.contains("self-waiter") && r.contains("the waiting thread itself entered 1 more"), r);
    }

    @Test
    void aSynchronizeOnAnotherThreadsSectionSaysNothingOfItself() throws Exception {
        GraceDomain d = new GraceDomain();
        List<String> reports = new CopyOnWriteArrayList<>();
        d.reportStalls(20, TimeUnit.MILLISECONDS, reports::add);
        int t = d.enter();
        Thread updater = start("updater", () -> {
            d.exit(d.enter()); // a balanced section of its own first
            try {
                d.trySynchronize(1, TimeUnit.HOURS);
            } catch (InterruptedException expected) {
                // the test ends the wait
            }
        });
        String r = awaitReport(reports);
        updater.interrupt();
        join(updater);
        d.exit(t);
        assertFalse(r.contains("itself"), r);
    }

    @Test
    void anAwaitTerminationWhileHoldingAUseIsReportedAsWaitingOnItself() throws Exception {
        assumeTrue(ReadSide.active() == ReadSide.ASYMMETRIC, "FENCED counts have no thread slots");
        UseCount c = new UseCount();
        List<String> reports = new CopyOnWriteArrayList<>();
        c.reportStalls(20, TimeUnit.MILLISECONDS, reports::add);
        Thread self = start("self-terminator", () -> {
            assertTrue(c.tryAcquire());
            c.shutdown();
            try {
                c.awaitTermination(1, TimeUnit.HOURS);
            } catch (InterruptedException expected) {
                // the test ends the wait
            } finally {
                c.release();
            }
        });
        String r = awaitReport(reports);
        self.interrupt();
        join(self);
        assertTrue(r.contains("self-terminator") && r.contains("the waiting thread itself took 1 more"), r);
    }
}
