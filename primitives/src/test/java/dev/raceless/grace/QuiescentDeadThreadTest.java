package dev.raceless.grace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.raceless.grace.GraceTesting.join;
import static dev.raceless.grace.GraceTesting.start;
import static dev.raceless.grace.QuiescentTesting.awaitParkedIn;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A registered thread that dies counts as offline: no grace period waits for it, and it is pruned. */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // a hang fails the test instead of the build
class QuiescentDeadThreadTest {

    @Test
    void aThreadThatDiesOnlineDoesNotHoldGracePeriods() throws Exception {
        QuiescentDomain d = new QuiescentDomain();
        Thread dead = start("dies-online", d::register); // registers, never reports, ends
        join(dead);
        assertEquals(1, d.registeredReaders());
        d.synchronize();
        assertEquals(0, d.registeredReaders(), "pruned by the grace period");
    }

    @Test
    void aThreadThatDiesWhileAnUpdaterWaitsForItEndsTheWait() throws Exception {
        QuiescentDomain d = new QuiescentDomain();
        CountDownLatch die = new CountDownLatch(1);
        Thread reader = onlineUntil(d, die);
        Thread updater = start("updater", d::synchronize);
        awaitParkedIn(updater, d);
        die.countDown();
        join(reader);
        join(updater); // the updater's rescan finds the owner dead
        assertEquals(1, d.gracePeriodsCompleted());
    }

    @Test
    void aThreadThatDiesAfterTheOtherReaderReportedEndsTheWait() throws Exception {
        QuiescentDomain d = new QuiescentDomain();
        CountDownLatch die = new CountDownLatch(1);
        Thread reader = onlineUntil(d, die);
        try (QuiescentTesting.Driven other = new QuiescentTesting.Driven("other").register(d)) {
            Thread updater = start("updater", d::synchronize);
            awaitParkedIn(updater, d);
            other.quiescent(); // claimed, but a reader is left: no wake-up
            die.countDown();
            join(reader);
            join(updater); // a timed rescan finds the owner dead and claims it
            assertEquals(0, d.wakeUps(), "a thread that dies wakes no one: the timed rescans find it");
            assertEquals(1, d.gracePeriodsCompleted());
        }
    }

    @Test
    void registrationPrunesDeadReaders() throws Exception {
        QuiescentDomain d = new QuiescentDomain();
        for (int i = 0; i < 3; i++) {
            join(start("dies-" + i, d::register));
        }
        QuiescentDomain.Reader r = d.register();
        assertEquals(1, d.registeredReaders());
        r.unregister();
    }

    /** A thread registered with {@code d}, online and never reporting until {@code die} opens; then it ends. */
    private static Thread onlineUntil(QuiescentDomain d, CountDownLatch die) throws InterruptedException {
        CountDownLatch registered = new CountDownLatch(1);
        Thread reader = start("reader", () -> {
            d.register();
            registered.countDown();
            try {
                die.await(); // online, never reports
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        registered.await();
        return reader;
    }
}
