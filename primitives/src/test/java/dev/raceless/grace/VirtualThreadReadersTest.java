package dev.raceless.grace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.raceless.grace.GraceTesting.awaitParkedInDrain;
import static dev.raceless.grace.GraceTesting.join;
import static dev.raceless.grace.GraceTesting.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Virtual threads as readers that park inside their sections (unmounting from their carrier), and
 * as an updater that parks in synchronize(). JDK 21+ only: the bytecode is release 17, so the
 * executor is looked up reflectively and the test is skipped on older JDKs.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VirtualThreadReadersTest {

    private static final int READERS = 2_000;

    private static ExecutorService virtualThreads() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (NoSuchMethodException e) {
            assumeTrue(false, "virtual threads need JDK 21+; running on " + Runtime.version());
            throw new AssertionError("unreachable");
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void synchronizeWaitsForVirtualThreadsParkedInsideSections() throws Exception {
        GraceDomain d = new GraceDomain();
        int[] written = new int[READERS]; // plain writes inside the sections
        CountDownLatch entered = new CountDownLatch(READERS);
        CountDownLatch leave = new CountDownLatch(1);
        ExecutorService vts = virtualThreads();
        try {
            for (int i = 0; i < READERS; i++) {
                int n = i;
                vts.execute(() -> {
                    int t = d.enter();
                    entered.countDown();
                    SynchronizeTest.awaitQuietly(leave); // parks the virtual thread inside the section
                    written[n] = n + 1;
                    d.exit(t);
                });
            }
            entered.await();
            int[] seen = new int[1];
            Thread updater = start("updater", () -> {
                d.synchronize();
                int ok = 0;
                for (int i = 0; i < READERS; i++) {
                    ok += written[i] == i + 1 ? 1 : 0;
                }
                seen[0] = ok;
            });
            awaitParkedInDrain(updater, d);
            assertFalse(d.trySynchronize());
            leave.countDown();
            join(updater);
            assertEquals(READERS, seen[0], "writes of virtual-thread sections not visible after synchronize()");
        } finally {
            vts.shutdown();
            assertTrue(vts.awaitTermination(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void aVirtualThreadUpdaterParksAndIsWokenByTheLastExit() throws Exception {
        GraceDomain d = new GraceDomain();
        ExecutorService vts = virtualThreads();
        try {
            int t = d.enter();
            AtomicInteger done = new AtomicInteger();
            CountDownLatch finished = new CountDownLatch(1);
            Thread[] updater = new Thread[1];
            CountDownLatch started = new CountDownLatch(1);
            vts.execute(() -> {
                updater[0] = Thread.currentThread();
                started.countDown();
                d.synchronize();
                done.incrementAndGet();
                finished.countDown();
            });
            started.await();
            awaitParkedInDrain(updater[0], d);
            assertEquals(0, done.get());
            // end the section from yet another virtual thread
            vts.execute(() -> d.exit(t));
            assertTrue(finished.await(10, TimeUnit.SECONDS), "the virtual-thread updater was not woken");
        } finally {
            vts.shutdown();
            assertTrue(vts.awaitTermination(20, TimeUnit.SECONDS));
        }
    }

    /**
     * Virtual threads never get a slot of their own: after 100,000 of them entered a section once,
     * the domain holds no per-thread memory (its whole object graph stays under 1 MB; in fact a
     * few kilobytes).
     */
    @Test
    void hundredThousandVirtualReadersLeaveNoPerThreadMemory() throws Exception {
        GraceDomain d = new GraceDomain();
        ExecutorService vts = virtualThreads();
        try {
            for (int i = 0; i < 100_000; i++) {
                vts.execute(() -> d.exit(d.enter()));
            }
        } finally {
            vts.shutdown();
            assertTrue(vts.awaitTermination(20, TimeUnit.SECONDS));
        }
        d.synchronize();
        long retained = org.openjdk.jol.info.GraphLayout.parseInstance(d).totalSize();
        System.out.println("GraceDomain after 100,000 virtual readers: " + retained + " bytes, " + d);
        assertTrue(retained < 1_000_000, retained + " bytes retained");
        assertTrue(d.toString().contains("thread slots: 0"), d.toString());
    }
}
