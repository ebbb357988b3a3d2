package dev.raceless.grace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.raceless.grace.GraceTesting.awaitBlocked;
import static dev.raceless.grace.GraceTesting.awaitParkedInDrain;
import static dev.raceless.grace.GraceTesting.gracePeriods;
import static dev.raceless.grace.GraceTesting.join;
import static dev.raceless.grace.GraceTesting.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GraceDomain.synchronize(): waits for every section that began before the call (rule 1), and
 * only for those (rule 2); nested sections and sections ended on another thread; concurrent
 * callers share grace periods (rule 3).
 *
 * <p>"Began before the call" is made certain by ordering, never by sleeping: a test opens a
 * section, then starts the updater; it checks that the updater waits by seeing it parked in
 * {@code drain()} (blocker = the domain), and that the section's actions are visible after the
 * return by reading plain fields written inside it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SynchronizeTest {

    /** Written in a section with plain stores, read by the updater after synchronize(). */
    private int written;
    private int seenByUpdater;

    @Test
    void synchronizeWithoutSectionsReturnsAndCountsOneGracePeriod() {
        GraceDomain d = new GraceDomain();
        long before = gracePeriods(d);
        d.synchronize();
        assertEquals(before + 1, gracePeriods(d));
    }

    @Test
    void synchronizeWaitsForSectionOnAnotherThreadAndSeesItsWrites() throws Exception {
        GraceDomain d = new GraceDomain();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Thread reader = start("reader", () -> {
            int t = d.enter();
            entered.countDown();
            awaitQuietly(leave);
            written = 42; // plain: must happen-before synchronize() returns
            d.exit(t);
        });
        entered.await();
        AtomicBoolean returned = new AtomicBoolean();
        Thread updater = start("updater", () -> {
            d.synchronize();
            seenByUpdater = written;
            returned.set(true);
        });
        awaitParkedInDrain(updater, d);
        assertFalse(returned.get(), "synchronize() returned while a section that began before it was open");
        leave.countDown();
        join(updater);
        join(reader);
        assertEquals(42, seenByUpdater, "a write in the section is not visible after synchronize()");
    }

    @Test
    void synchronizeDoesNotWaitForSectionsThatBeganAfterTheCall() throws Exception {
        GraceDomain d = new GraceDomain();
        int early = d.enter(); // began before the call
        Thread updater = start("updater", d::synchronize);
        awaitParkedInDrain(updater, d);

        CountDownLatch lateEntered = new CountDownLatch(1);
        CountDownLatch lateLeave = new CountDownLatch(1);
        Thread late = start("late-reader", () -> { // began after the call: must not be waited for
            int t = d.enter();
            lateEntered.countDown();
            awaitQuietly(lateLeave);
            d.exit(t);
        });
        lateEntered.await();
        d.exit(early);
        join(updater); // returns although the late section is still open
        assertTrue(late.isAlive());
        lateLeave.countDown();
        join(late);
        d.synchronize();
    }

    @Test
    void nestedSectionsHoldTheGracePeriodUntilTheOuterOneEnds() throws Exception {
        GraceDomain d = new GraceDomain();
        int outer = d.enter();
        // A failed attempt flips the index, so the inner section counts on the other index.
        assertFalse(callOnOtherThread(d::trySynchronize));
        int inner = d.enter();
        assertNotEquals(outer, inner, "after a flip the nested section counts on the other index");

        Thread updater = start("updater", d::synchronize);
        awaitParkedInDrain(updater, d);
        d.exit(inner);
        assertFalse(callOnOtherThread(d::trySynchronize), "outer section still open, and a grace period runs");
        awaitParkedInDrain(updater, d);
        assertTrue(updater.isAlive(), "synchronize() returned with the outer section open");
        d.exit(outer);
        join(updater);
        assertTrue(callOnOtherThread(d::trySynchronize));
    }

    @Test
    void aSectionLeftOnTheInactiveIndexIsWaitedFor() throws Exception {
        // The state a late reader leaves (jcstress LateReaderOldEpoch): a section open on the index
        // that is not current. A failed trySynchronize() builds it: it flips, then finds the
        // section busy. The next grace period must drain that index first (step a).
        GraceDomain d = new GraceDomain();
        int late = d.enter();
        assertFalse(d.trySynchronize());
        int probe = d.enter();
        d.exit(probe);
        assertNotEquals(late, probe, "setup: the failed attempt did not flip the index");
        AtomicBoolean returned = new AtomicBoolean();
        Thread updater = start("updater", () -> {
            d.synchronize();
            returned.set(true);
        });
        awaitParkedInDrain(updater, d);
        assertFalse(returned.get(), "synchronize() returned with a section open on the inactive index");
        d.exit(late);
        join(updater);
    }

    @Test
    void aSectionMayEndOnAnotherThread() throws Exception {
        GraceDomain d = new GraceDomain();
        int t = d.enter();
        Thread updater = start("updater", d::synchronize);
        awaitParkedInDrain(updater, d);
        Thread exiter = start("exiter", () -> {
            written = 7;
            d.exit(t);
        });
        join(exiter);
        join(updater);
        // and the other way round: entered elsewhere, ended here
        int[] token = new int[1];
        Thread enterer = start("enterer", () -> token[0] = d.enter());
        join(enterer);
        assertFalse(d.trySynchronize(), "the section entered on the other thread is open");
        d.exit(token[0]);
        assertTrue(d.trySynchronize());
    }

    @Test
    void callersArrivingDuringAGracePeriodShareTheNextOne() throws Exception {
        GraceDomain d = new GraceDomain();
        int t = d.enter();
        Thread first = start("first", d::synchronize);
        awaitParkedInDrain(first, d); // grace period k is running (gpSeq odd)
        long before = gracePeriods(d);
        Thread[] late = new Thread[3];
        for (int i = 0; i < late.length; i++) {
            late[i] = start("late-" + i, d::synchronize);
        }
        for (Thread l : late) {
            awaitBlocked(l); // past the snapshot, queued on the grace-period lock
        }
        d.exit(t);
        join(first);
        for (Thread l : late) {
            join(l);
        }
        // k completes for the first caller; the late callers may not use k (it began before
        // them) and all share k + 1: four callers, two grace periods.
        assertEquals(before + 2, gracePeriods(d));
    }

    @Test
    void sequentialSynchronizeCallsEachRunAGracePeriod() {
        GraceDomain d = new GraceDomain();
        for (int i = 0; i < 10; i++) {
            d.exit(d.enter());
            d.synchronize();
        }
        assertEquals(10, gracePeriods(d));
    }

    private static boolean callOnOtherThread(java.util.function.BooleanSupplier call) throws InterruptedException {
        boolean[] r = new boolean[1];
        Thread t = start("caller", () -> r[0] = call.getAsBoolean());
        join(t);
        return r[0];
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
