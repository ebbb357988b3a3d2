package dev.raceless.grace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A QuiescentDomain dropped without close() does not leave its action thread behind (the shared
 * DeferredActions and its Cleaner), and a thread that registered and died does not keep it alive.
 * The loop only waits for the GC; its deadline turns a leak into a failure.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // a hang fails the test instead of the build
class QuiescentDroppedDomainTest {

    @Test
    void aDroppedDomainEndsItsActionThreadAfterRunningItsActions() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        Thread worker;
        {
            QuiescentDomain d = new QuiescentDomain();
            Thread reader = new Thread(d::register, "registers-and-dies"); // a Reader of a dead thread
            reader.start();
            reader.join();
            d.callAfterGrace(ran::countDown);
            d.barrier();
            worker = d.actionThread();
        }
        long deadline = System.nanoTime() + GraceTesting.PATIENCE_NANOS * 3;
        while (worker.isAlive()) {
            if (System.nanoTime() - deadline > 0) {
                fail("the action thread of a dropped QuiescentDomain is still alive");
            }
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(0, ran.getCount());
    }
}
