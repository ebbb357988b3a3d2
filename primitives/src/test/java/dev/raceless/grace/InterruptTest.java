package dev.raceless.grace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.raceless.grace.GraceTesting.awaitBlocked;
import static dev.raceless.grace.GraceTesting.awaitParkedInDrain;
import static dev.raceless.grace.GraceTesting.gracePeriods;
import static dev.raceless.grace.GraceTesting.join;
import static dev.raceless.grace.GraceTesting.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interrupts: synchronize() ignores them but keeps the status (rule 4); the timed variant throws
 * InterruptedException and clears it, as java.util.concurrent does; trySynchronize() never looks.
 *
 * <p>That an interrupted synchronize() did not return early is checked by ordering, not time: the
 * test sets {@code exited} before ending the section, and the updater reads it after returning.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class InterruptTest {

    private volatile boolean exited;

    @Test
    void synchronizeKeepsWaitingWhenInterruptedAndKeepsTheStatus() throws Exception {
        GraceDomain d = new GraceDomain();
        int t = d.enter();
        boolean[] sawExit = new boolean[1];
        boolean[] interruptedAfter = new boolean[1];
        Thread updater = start("updater", () -> {
            d.synchronize();
            sawExit[0] = exited;
            interruptedAfter[0] = Thread.currentThread().isInterrupted();
        });
        awaitParkedInDrain(updater, d);
        updater.interrupt();
        awaitParkedInDrain(updater, d); // parked again (or still): the interrupt did not end the wait
        exited = true;
        d.exit(t);
        join(updater);
        assertTrue(sawExit[0], "synchronize() returned before the section ended");
        assertTrue(interruptedAfter[0], "synchronize() swallowed the interrupt status");
    }

    @Test
    void synchronizeCalledWithInterruptStatusSetStillWaitsAndKeepsIt() throws Exception {
        GraceDomain d = new GraceDomain();
        int t = d.enter();
        boolean[] sawExit = new boolean[1];
        boolean[] interruptedAfter = new boolean[1];
        Thread updater = start("updater", () -> {
            Thread.currentThread().interrupt();
            d.synchronize();
            sawExit[0] = exited;
            interruptedAfter[0] = Thread.currentThread().isInterrupted();
        });
        awaitParkedInDrain(updater, d); // park() with the status set would return at once: it must clear and re-park
        exited = true;
        d.exit(t);
        join(updater);
        assertTrue(sawExit[0], "synchronize() returned before the section ended");
        assertTrue(interruptedAfter[0]);
    }

    @Test
    void synchronizeThatNeedsNoWaitingKeepsTheStatus() {
        GraceDomain d = new GraceDomain();
        Thread.currentThread().interrupt();
        d.synchronize();
        assertTrue(Thread.interrupted()); // also clears it for the next test
    }

    @Test
    void timedSynchronizeThrowsWhenInterruptedWhileWaiting() throws Exception {
        GraceDomain d = new GraceDomain();
        int t = d.enter();
        AtomicReference<Object> outcome = new AtomicReference<>();
        boolean[] statusAfter = new boolean[1];
        Thread updater = start("updater", () -> {
            try {
                outcome.set(d.trySynchronize(1, TimeUnit.MINUTES));
            } catch (Throwable e) {
                outcome.set(e);
            }
            statusAfter[0] = Thread.currentThread().isInterrupted();
        });
        awaitParkedInDrain(updater, d);
        updater.interrupt();
        join(updater);
        assertInstanceOf(InterruptedException.class, outcome.get());
        assertFalse(statusAfter[0], "InterruptedException thrown, so the status is cleared");
        assertEquals(0, gracePeriods(d), "an interrupted attempt was counted as a grace period");
        d.exit(t);
        assertTrue(d.trySynchronize(10, TimeUnit.SECONDS), "an interrupted attempt left the domain stuck");
    }

    @Test
    void timedSynchronizeThrowsWhenInterruptedWhileQueuedForTheLock() throws Exception {
        GraceDomain d = new GraceDomain();
        int t = d.enter();
        Thread holder = start("holder", d::synchronize);
        awaitParkedInDrain(holder, d);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread queued = start("queued", () -> {
            try {
                outcome.set(d.trySynchronize(1, TimeUnit.MINUTES));
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        awaitBlocked(queued);
        queued.interrupt();
        join(queued);
        assertInstanceOf(InterruptedException.class, outcome.get());
        d.exit(t);
        join(holder);
    }

    @Test
    void timedSynchronizeCalledWithInterruptStatusSetThrows() {
        GraceDomain d = new GraceDomain();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> d.trySynchronize(1, TimeUnit.SECONDS));
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void trySynchronizeIgnoresAndKeepsTheInterruptStatus() {
        GraceDomain d = new GraceDomain();
        Thread.currentThread().interrupt();
        assertTrue(d.trySynchronize());
        assertTrue(Thread.interrupted());
    }
}
