package dev.raceless.grace;

import dev.raceless.grace.QuiescentTesting.Driven;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.raceless.grace.GraceTesting.join;
import static dev.raceless.grace.GraceTesting.start;
import static dev.raceless.grace.QuiescentTesting.awaitParkedIn;
import static dev.raceless.testing.Background.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract of QuiescentDomain: whom a grace period waits for, and whom not. */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // a hang fails the test instead of the build
class QuiescentDomainTest {

    @Test
    void synchronizeWithNoReaderCompletesAGracePeriod() {
        QuiescentDomain d = new QuiescentDomain();
        d.synchronize();
        d.synchronize();
        assertEquals(2, d.gracePeriodsCompleted());
    }

    @Test
    void synchronizeWaitsForAnOnlineReaderUntilItPassesAQuiescentState() throws Exception {
        QuiescentDomain d = new QuiescentDomain();
        try (Driven reader = new Driven("reader").register(d)) {
            reader.quiescent(); // a report from before the grace period does not count
            Thread updater = start("updater", d::synchronize);
            awaitParkedIn(updater, d);
            assertEquals(0, d.gracePeriodsCompleted());
            reader.quiescent();
            join(updater);
            assertEquals(1, d.gracePeriodsCompleted());
        }
    }

    @Test
    void synchronizeEndsWhenTheReaderGoesOfflineOrUnregisters() throws Exception {
        QuiescentDomain d = new QuiescentDomain();
        try (Driven a = new Driven("a").register(d); Driven b = new Driven("b").register(d)) {
            Thread updater = start("updater", d::synchronize);
            awaitParkedIn(updater, d);
            a.offline();
            awaitParkedIn(updater, d); // still waits for b
            b.unregister();
            join(updater);
            assertEquals(1, d.registeredReaders());
        }
    }

    @Test
    void aParkedUpdaterIsWokenByTheLastReportItWaitsForAndNotBefore() throws Exception {
        QuiescentDomain d = new QuiescentDomain("wake", (a, e) -> { }, false); // no timed rescans: a claim wakes it
        try (Driven a = new Driven("a").register(d); Driven b = new Driven("b").register(d)) {
            Thread updater = start("updater", d::synchronize);
            awaitParkedIn(updater, d);
            a.quiescent();
            assertEquals(0, d.wakeUps(), "a report that leaves a reader to wait for wakes no one");
            assertEquals(0, d.gracePeriodsCompleted());
            b.quiescent();
            join(updater);
            assertEquals(1, d.wakeUps(), "the last report wakes the updater");
            assertEquals(1, d.gracePeriodsCompleted());
        }
    }

    @Test
    void offlineAndUnregisterWakeAParkedUpdaterAsTheLastReport() throws Exception {
        QuiescentDomain d = new QuiescentDomain("wake", (a, e) -> { }, false);
        try (Driven a = new Driven("a").register(d); Driven b = new Driven("b").register(d)) {
            Thread updater = start("updater", d::synchronize);
            awaitParkedIn(updater, d);
            a.unregister();
            assertEquals(0, d.wakeUps());
            b.offline();
            join(updater);
            assertEquals(1, d.wakeUps());
        }
    }

    @Test
    void aWaitThatTimesOutOrIsInterruptedLeavesNoMarkBehind() throws Exception {
        QuiescentDomain d = new QuiescentDomain("marks", (a, e) -> { }, false);
        try (Driven a = new Driven("a").register(d); Driven b = new Driven("b").register(d)) {
            assertFalse(d.trySynchronize(1, TimeUnit.MILLISECONDS)); // spins, marks both, parks, gives up
            assertFalse(a.reader.isMarked() || b.reader.isMarked(), "a timed-out wait claims what it marked");

            AtomicInteger interrupted = new AtomicInteger();
            Thread waiter = start("interrupted", () -> {
                try {
                    d.trySynchronize(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                }
            });
            awaitParkedIn(waiter, d);
            assertTrue(a.reader.isMarked() && b.reader.isMarked(), "a parked wait marks the readers it waits for");
            waiter.interrupt();
            join(waiter);
            assertEquals(1, interrupted.get());
            assertFalse(a.reader.isMarked() || b.reader.isMarked(), "an interrupted wait claims what it marked");

            a.quiescent(); // passes the abandoned grace period: nothing to claim, nobody to wake
            assertEquals(0, d.wakeUps());
            Thread updater = start("updater", d::synchronize); // a new grace period counts its own readers
            awaitParkedIn(updater, d);
            a.quiescent();
            assertEquals(0, d.wakeUps());
            b.quiescent();
            join(updater);
            assertEquals(1, d.wakeUps());
            assertFalse(a.reader.isMarked() || b.reader.isMarked());
        }
    }

    @Test
    void offlineReadersAreNotWaitedForAndOnlineReadersAreAgain() throws Exception {
        QuiescentDomain d = new QuiescentDomain();
        try (Driven reader = new Driven("reader").register(d)) {
            reader.offline();
            d.synchronize(); // returns: nobody online
            reader.online();
            Thread updater = start("updater", d::synchronize);
            awaitParkedIn(updater, d);
            reader.quiescent();
            join(updater);
        }
    }

    @Test
    void aReaderThatComesOnlineAfterTheGracePeriodBeganIsNotWaitedFor() throws Exception {
        QuiescentDomain d = new QuiescentDomain();
        try (Driven old = new Driven("old").register(d); Driven late = new Driven("late").register(d)) {
            late.offline();
            Thread updater = start("updater", d::synchronize);
            awaitParkedIn(updater, d);
            late.online(); // online after the grace period began: never reports again
            Driven fresh = new Driven("fresh").register(d);
            old.quiescent();
            join(updater);
            fresh.close();
        }
    }

    @Test
    void trySynchronizeNeverWaitsAndSucceedsOnlyWhenNobodyIsOnline() throws Exception {
        QuiescentDomain d = new QuiescentDomain();
        try (Driven reader = new Driven("reader").register(d)) {
            assertFalse(d.trySynchronize());
            assertEquals(0, d.gracePeriodsCompleted());
            reader.offline();
            assertTrue(d.trySynchronize());
            assertEquals(1, d.gracePeriodsCompleted());
        }
    }

    @Test
    void timedTrySynchronizeGivesUpThenSucceeds() throws Exception {
        QuiescentDomain d = new QuiescentDomain();
        try (Driven reader = new Driven("reader").register(d)) {
            assertFalse(d.trySynchronize(1, TimeUnit.MILLISECONDS));
            assertFalse(d.trySynchronize(0, TimeUnit.SECONDS));
            long before = d.gracePeriodsCompleted();
            Thread updater = start("updater", () -> {
                try {
                    assertTrue(d.trySynchronize(1, TimeUnit.MINUTES));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            awaitParkedIn(updater, d);
            reader.quiescent();
            join(updater);
            assertEquals(before + 1, d.gracePeriodsCompleted());
        }
    }

    @Test
    void timedTrySynchronizeThrowsWhenInterrupted() throws Exception {
        QuiescentDomain d = new QuiescentDomain();
        try (Driven reader = new Driven("reader").register(d)) {
            AtomicInteger interrupted = new AtomicInteger();
            Thread updater = start("updater", () -> {
                try {
                    d.trySynchronize(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                }
            });
            awaitParkedIn(updater, d);
            updater.interrupt();
            join(updater);
            assertEquals(1, interrupted.get());
            reader.offline();
            d.synchronize(); // the domain still works
        }
    }

    @Test
    void synchronizeKeepsTheInterruptStatus() throws Exception {
        QuiescentDomain d = new QuiescentDomain();
        try (Driven reader = new Driven("reader").register(d)) {
            boolean[] status = new boolean[1];
            Thread updater = start("updater", () -> {
                d.synchronize();
                status[0] = Thread.currentThread().isInterrupted();
            });
            awaitParkedIn(updater, d);
            updater.interrupt();
            awaitParkedIn(updater, d); // keeps waiting
            reader.quiescent();
            join(updater);
            assertTrue(status[0]);
        }
    }

    @Test
    void synchronizeOnAnOnlineReaderGoesOfflineForTheWaitAndComesBackOnline() throws Exception {
        QuiescentDomain d = new QuiescentDomain();
        try (Driven self = new Driven("self").register(d); Driven other = new Driven("other").register(d)) {
            CompletableFuture<Boolean> onlineAfter = self.submit(() -> {
                d.synchronize(); // waits for other, not for this thread
                return d.reader().isOnline();
            });
            awaitParkedIn(self.thread, d);
            assertFalse(self.reader.isOnline(), "offline for the wait");
            other.quiescent();
            assertTrue(onlineAfter.get(1, TimeUnit.MINUTES), "back online after the wait");
            other.offline();
            self.run(() -> {
                assertTrue(d.trySynchronize(), "the only online thread is the caller, which is not waited for");
                d.barrier();
                assertTrue(d.reader().isOnline());
            });
        }
    }

    @Test
    void deferredActionsRunAfterTheOnlineReadersReport() throws Exception {
        QuiescentDomain d = new QuiescentDomain("actions", (a, e) -> { });
        try (Driven reader = new Driven("reader").register(d)) {
            AtomicInteger ran = new AtomicInteger();
            d.callAfterGrace(ran::incrementAndGet);
            Thread barrier = start("barrier", d::barrier);
            awaitParkedIn(d.actionThread(), d);
            assertEquals(0, ran.get());
            reader.quiescent(); // ends the grace period of the action's batch
            eventually(() -> ran.get() > 0, "the action runs after the report");
            reader.offline(); // the barrier's own marker may need one more grace period
            join(barrier);
            assertEquals(1, ran.get());
            d.callAfterGrace(ran::incrementAndGet);
            d.close();
            assertEquals(2, ran.get());
        }
    }
}
