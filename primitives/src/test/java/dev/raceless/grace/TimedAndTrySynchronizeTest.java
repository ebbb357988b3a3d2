package dev.raceless.grace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.raceless.grace.GraceTesting.awaitParkedInDrain;
import static dev.raceless.grace.GraceTesting.gracePeriods;
import static dev.raceless.grace.GraceTesting.join;
import static dev.raceless.grace.GraceTesting.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * trySynchronize(timeout, unit) and trySynchronize(): failure is a value, a failed attempt is no
 * grace period and leaves the domain usable. No test asserts how long anything took; a "times
 * out" test uses a section that cannot end before the call returns.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TimedAndTrySynchronizeTest {

    @Test
    void negativeTimeoutIsRefusedWithIllegalArgumentException() {
        GraceDomain d = new GraceDomain();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> d.trySynchronize(-1, TimeUnit.NANOSECONDS));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.trySynchronize(Long.MIN_VALUE, TimeUnit.DAYS));
        assertThrows(NullPointerException.class, () -> d.trySynchronize(1, null));
        assertEquals(0, gracePeriods(d), "a refused call ran a grace period");
    }

    @Test
    @SuppressWarnings("deprecation")
    void deprecatedTimedSynchronizeIsTrySynchronize() throws InterruptedException {
        GraceDomain d = new GraceDomain();
        assertTrue(d.synchronize(1, TimeUnit.SECONDS));
        int token = d.enter();
        assertFalse(d.synchronize(1, TimeUnit.MILLISECONDS), "the old name waited for the open section");
        d.exit(token);
        assertThrows(IllegalArgumentException.class, () -> d.synchronize(-1, TimeUnit.NANOSECONDS));
        assertEquals(1, gracePeriods(d));
    }

    @Test
    void timedSynchronizeWithoutSectionsReturnsTrue() throws InterruptedException {
        GraceDomain d = new GraceDomain();
        assertTrue(d.trySynchronize(0, TimeUnit.NANOSECONDS));
        assertTrue(d.trySynchronize(1, TimeUnit.SECONDS));
        assertTrue(d.trySynchronize(Long.MAX_VALUE, TimeUnit.DAYS), "a huge timeout must not overflow into 'expired'");
        assertEquals(3, gracePeriods(d));
    }

    @Test
    void timedSynchronizeReturnsFalseWhileTheSectionOutlivesTheTimeout() throws InterruptedException {
        GraceDomain d = new GraceDomain();
        int t = d.enter(); // on the calling thread: cannot end before the call returns
        // The debug property would refuse this call; the tests run without it.
        assertFalse(d.trySynchronize(0, TimeUnit.NANOSECONDS));
        assertFalse(d.trySynchronize(20, TimeUnit.MILLISECONDS));
        assertEquals(0, gracePeriods(d), "a timed-out attempt was counted as a grace period");
        d.exit(t);
        assertTrue(d.trySynchronize(10, TimeUnit.SECONDS), "a timed-out attempt left the domain stuck");
        assertEquals(1, gracePeriods(d));
    }

    @Test
    void timedSynchronizeReturnsTrueWhenTheSectionEndsInTime() throws Exception {
        GraceDomain d = new GraceDomain();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Thread reader = start("reader", () -> {
            int t = d.enter();
            entered.countDown();
            SynchronizeTest.awaitQuietly(leave);
            d.exit(t);
        });
        entered.await();
        AtomicReference<Object> result = new AtomicReference<>();
        Thread updater = start("updater", () -> {
            try {
                result.set(d.trySynchronize(1, TimeUnit.MINUTES));
            } catch (Throwable e) {
                result.set(e);
            }
        });
        awaitParkedInDrain(updater, d);
        leave.countDown();
        join(updater);
        join(reader);
        assertEquals(Boolean.TRUE, result.get());
    }

    @Test
    void timedSynchronizeQueuedBehindAnotherUpdaterTimesOut() throws Exception {
        GraceDomain d = new GraceDomain();
        int t = d.enter();
        Thread holder = start("holder", d::synchronize);
        awaitParkedInDrain(holder, d);
        // gpLock is held by the parked holder: the timed caller gives up at the lock
        assertFalse(d.trySynchronize(10, TimeUnit.MILLISECONDS));
        d.exit(t);
        join(holder);
    }

    @Test
    void trySynchronizeIsFalseWhileASectionIsOpenAndTrueAfter() throws Exception {
        GraceDomain d = new GraceDomain();
        assertTrue(d.trySynchronize(), "no section: a grace period needs no waiting");
        int[] token = new int[1];
        Thread reader = start("reader", () -> token[0] = d.enter());
        join(reader); // the section stays open after its thread ended
        assertFalse(d.trySynchronize());
        assertFalse(d.trySynchronize(), "a failed attempt must not make the next one succeed");
        assertEquals(1, gracePeriods(d), "failed attempts were counted as grace periods");
        d.exit(token[0]);
        assertTrue(d.trySynchronize());
        assertEquals(2, gracePeriods(d));
    }

    @Test
    void trySynchronizeFailsWhileAnotherUpdaterRunsAGracePeriod() throws Exception {
        GraceDomain d = new GraceDomain();
        int t = d.enter();
        Thread holder = start("holder", d::synchronize);
        awaitParkedInDrain(holder, d);
        assertFalse(d.trySynchronize());
        d.exit(t);
        join(holder);
        assertTrue(d.trySynchronize());
    }

    @Test
    void sectionsOnBothIndicesAfterFailedAttemptsAreAllWaitedFor() {
        GraceDomain d = new GraceDomain();
        int a = d.enter();
        assertFalse(d.trySynchronize()); // flips: the next section counts on the other index
        int b = d.enter();
        assertFalse(d.trySynchronize());
        d.exit(a);
        assertFalse(d.trySynchronize(), "b still open");
        d.exit(b);
        assertTrue(d.trySynchronize());
    }
}
