package dev.raceless.grace;

import dev.raceless.testing.VirtualThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Method;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.raceless.grace.GraceTesting.join;
import static dev.raceless.grace.GraceTesting.start;
import static dev.raceless.grace.QuiescentTesting.awaitParkedIn;
import static dev.raceless.testing.Background.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** QuiescentExecutor: workers register, report between tasks, and are offline while idle. */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // a hang fails the test instead of the build
class QuiescentExecutorTest {

    private static void awaitIdle(QuiescentDomain d, int readers) {
        eventually(() -> d.registeredReaders() == readers && d.trySynchronize(), "the workers go idle: " + d);
    }

    @Test
    void idleWorkersAreRegisteredAndOffline() throws Exception {
        QuiescentDomain d = new QuiescentDomain();
        QuiescentExecutor pool = d.newFixedThreadPool(2);
        try {
            assertEquals(2, pool.prestartAllCoreThreads());
            awaitIdle(d, 2); // trySynchronize() succeeds only when nobody is online
            d.synchronize();
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
        }
        // Termination is signalled from inside the last worker's exit, just before it unregisters.
        eventually(() -> d.registeredReaders() == 0, "workers unregister when they end: " + d);
    }

    @Test
    void synchronizeWaitsForTheTaskRunningWhenItBeganAndNotForLaterOnes() throws Exception {
        QuiescentDomain d = new QuiescentDomain();
        QuiescentExecutor pool = d.newFixedThreadPool(1);
        try {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            pool.execute(() -> {
                running.countDown();
                awaitUninterruptibly(release); // blocks online: holds grace periods, as a long read would
            });
            running.await();
            Thread updater = start("updater", d::synchronize);
            awaitParkedIn(updater, d);
            CountDownLatch second = new CountDownLatch(1);
            pool.execute(() -> awaitUninterruptibly(second)); // queued; starts after the first task ends
            release.countDown();
            join(updater); // the worker reported between the two tasks
            second.countDown();
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
        }
    }

    @Test
    void aTaskThatThrowsEndsItsWorkerOfflineAndTheReplacementRegisters() throws Exception {
        QuiescentDomain d = new QuiescentDomain();
        QuiescentExecutor pool = d.newFixedThreadPool(1);
        try {
            AtomicReference<Thread> first = new AtomicReference<>();
            pool.execute(() -> {
                first.set(Thread.currentThread());
                throw new IllegalStateException("a task that throws, on purpose");
            });
            Future<Boolean> next = pool.submit(() -> d.reader() != null && d.reader().isOnline());
            assertTrue(next.get(1, TimeUnit.MINUTES), "the replacement worker is registered and online in a task");
            join(first.get());
            awaitIdle(d, 1);
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
        }
    }

    @Test
    void aTaskMaySynchronizeAndGoOfflineAroundABlockingCall() throws Exception {
        QuiescentDomain d = new QuiescentDomain();
        QuiescentExecutor pool = d.newFixedThreadPool(2);
        try {
            CountDownLatch release = new CountDownLatch(1);
            Future<?> blocking = pool.submit(() -> {
                QuiescentDomain.Reader r = d.reader();
                r.offline();
                try {
                    awaitUninterruptibly(release);
                } finally {
                    r.online();
                }
            });
            Future<Long> synced = pool.submit(() -> {
                d.synchronize(); // its own worker is not waited for, nor the offline one
                return d.gracePeriodsCompleted();
            });
            assertTrue(synced.get(1, TimeUnit.MINUTES) >= 1);
            release.countDown();
            blocking.get(1, TimeUnit.MINUTES);
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
        }
    }

    @Test
    void aThreadFactoryOfVirtualThreadsIsRefused() throws Exception {
        assumeTrue(VirtualThreads.supported(), "virtual threads need JDK 21+");
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Method factory = Class.forName("java.lang.Thread$Builder").getMethod("factory");
        ThreadFactory virtual = (ThreadFactory) factory.invoke(builder);
        QuiescentDomain d = new QuiescentDomain();
        QuiescentExecutor pool = new QuiescentExecutor(d, 1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                virtual, new java.util.concurrent.ThreadPoolExecutor.AbortPolicy());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.execute(() -> { }));
        assertTrue(e.getMessage().contains("platform threads") && e.getMessage().contains("GraceDomain"),
                e.getMessage());
        pool.shutdown();
        assertFalse(pool.isTerminated() && d.registeredReaders() != 0);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean done = false;
        while (!done) {
            try {
                done = latch.await(1, TimeUnit.MINUTES);
                if (!done) {
                    throw new AssertionError("latch not released");
                }
            } catch (InterruptedException e) {
                // keep waiting: the test releases the latch
            }
        }
    }
}
