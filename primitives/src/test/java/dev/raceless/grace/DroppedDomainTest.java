package dev.raceless.grace;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A domain dropped without close() does not leave its action thread behind: the Cleaner ends it
 * once the domain is unreachable, after running what was queued. The loop only waits for the GC;
 * its deadline turns a leak into a failure.
 */
class DroppedDomainTest {

    @Test
    void twoHundredDroppedDomainsLeaveNoActionThreadAndRunTheirActions() throws Exception {
        int n = 200;
        CountDownLatch ran = new CountDownLatch(n);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            GraceDomain d = new GraceDomain();
            d.callAfterGrace(ran::countDown);
            d.barrier(); // the thread exists and is idle
            threads.add(d.actionThread());
        }
        ran.await();
        long deadline = System.nanoTime() + GraceTesting.PATIENCE_NANOS * 3;
        while (threads.stream().anyMatch(Thread::isAlive)) {
            if (System.nanoTime() - deadline > 0) {
                fail(threads.stream().filter(Thread::isAlive).count() + " of " + n + " action threads still alive");
            }
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(0, threads.stream().filter(Thread::isAlive).count());
    }

    @Test
    void actionsQueuedBeforeTheDomainWasDroppedStillRun() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        CountDownLatch hold = new CountDownLatch(1);
        Thread worker;
        {
            GraceDomain d = new GraceDomain();
            d.callAfterGrace(() -> {
                try {
                    hold.await(); // keeps the worker busy while the domain is dropped
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            d.callAfterGrace(ran::countDown);
            worker = d.actionThread();
        }
        hold.countDown();
        long deadline = System.nanoTime() + GraceTesting.PATIENCE_NANOS * 3;
        while (worker.isAlive()) {
            if (System.nanoTime() - deadline > 0) {
                fail("the action thread of a dropped domain is still alive");
            }
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(ran.getCount() == 0, "the queued action ran before the thread ended");
    }
}
