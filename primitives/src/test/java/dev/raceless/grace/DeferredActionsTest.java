package dev.raceless.grace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.raceless.grace.GraceTesting.awaitBlocked;
import static dev.raceless.grace.GraceTesting.awaitParkedInDrain;
import static dev.raceless.grace.GraceTesting.join;
import static dev.raceless.grace.GraceTesting.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * callAfterGrace(), barrier() and close() (rule 6): actions run in order on the domain's named
 * daemon thread after a grace period; a throwing action is reported and the others go on;
 * barrier() waits for what was queued before it; close() runs what is queued and refuses more.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeferredActionsTest {

    private static final String NAME = "deferred-test";

    /** Collects what the error handler is given. */
    private final ConcurrentLinkedQueue<Object[]> reported = new ConcurrentLinkedQueue<>();

    private GraceDomain domain() {
        return new GraceDomain(NAME, (action, failure) -> reported.add(new Object[] {action, failure}));
    }

    @Test
    void actionsRunInOrderOnTheNamedDaemonThread() {
        GraceDomain d = domain();
        List<Integer> order = new ArrayList<>(); // touched only by the action thread, read after barrier()
        AtomicReference<Thread> runner = new AtomicReference<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            d.callAfterGrace(() -> {
                order.add(n);
                runner.set(Thread.currentThread());
            });
        }
        d.barrier(); // barrier's marker ran after them on the same thread: happens-before this return
        assertEquals(200, order.size());
        for (int i = 0; i < 200; i++) {
            assertEquals(i, order.get(i));
        }
        Thread t = runner.get();
        assertEquals("raceless-" + NAME + "-actions", t.getName());
        assertTrue(t.isDaemon());
        assertTrue(reported.isEmpty());
        d.close();
    }

    @Test
    void anActionWaitsForSectionsOpenWhenItWasQueued() throws Exception {
        GraceDomain d = domain();
        AtomicReference<Thread> runner = new AtomicReference<>();
        d.callAfterGrace(() -> runner.set(Thread.currentThread()));
        d.barrier();

        int t = d.enter();
        int[] plain = new int[1];
        plain[0] = 5; // written before callAfterGrace: must happen-before the action
        int[] seen = new int[1];
        AtomicInteger ran = new AtomicInteger();
        d.callAfterGrace(() -> {
            seen[0] = plain[0];
            ran.incrementAndGet();
        });
        awaitParkedInDrain(runner.get(), d); // the action thread waits for our section
        assertEquals(0, ran.get(), "the action ran while a section older than it was open");
        d.exit(t);
        d.barrier();
        assertEquals(1, ran.get());
        assertEquals(5, seen[0]);
        d.close();
    }

    @Test
    void aThrowingActionIsReportedAndTheOthersStillRun() {
        GraceDomain d = domain();
        AtomicInteger before = new AtomicInteger();
        AtomicInteger after = new AtomicInteger();
        IllegalStateException boom = new IllegalStateException("boom");
        Runnable thrower = () -> {
            throw boom;
        };
        Runnable error = () -> {
            throw new AssertionError("an Error is reported too");
        };
        d.callAfterGrace(before::incrementAndGet);
        d.callAfterGrace(thrower);
        d.callAfterGrace(error);
        d.callAfterGrace(after::incrementAndGet);
        d.barrier();
        assertEquals(1, before.get());
        assertEquals(1, after.get());
        assertEquals(2, reported.size());
        Object[] first = reported.poll();
        assertSame(thrower, first[0]);
        assertSame(boom, first[1]);
        Object[] second = reported.poll();
        assertSame(error, second[0]);
        assertInstanceOf(AssertionError.class, second[1]);
        d.close();
    }

    @Test
    void aThrowingErrorHandlerDoesNotStopTheActions() {
        GraceDomain d = new GraceDomain("handler-throws", (a, e) -> {
            throw new IllegalStateException("handler broken (expected in this test; logged as WARNING)");
        });
        AtomicInteger ran = new AtomicInteger();
        d.callAfterGrace(() -> {
            throw new RuntimeException("action failure (expected in this test)");
        });
        d.callAfterGrace(ran::incrementAndGet);
        d.barrier();
        assertEquals(1, ran.get());
        d.close();
    }

    @Test
    void barrierWaitsForEveryActionQueuedBeforeIt() throws Exception {
        GraceDomain d = domain();
        int threads = 3;
        int each = 5_000;
        int[][] seen = new int[threads][each]; // per producer: the order its actions ran in
        int[] next = new int[threads];
        Thread[] producers = new Thread[threads];
        CountDownLatch go = new CountDownLatch(1);
        for (int p = 0; p < threads; p++) {
            int id = p;
            producers[p] = start("producer-" + p, () -> {
                SynchronizeTest.awaitQuietly(go);
                for (int i = 0; i < each; i++) {
                    int n = i;
                    d.callAfterGrace(() -> seen[id][next[id]++] = n);
                }
            });
        }
        go.countDown();
        for (Thread p : producers) {
            join(p);
        }
        d.barrier();
        for (int p = 0; p < threads; p++) {
            assertEquals(each, next[p], "barrier() returned before every earlier action ran");
            for (int i = 0; i < each; i++) {
                assertEquals(i, seen[p][i], "actions of one producer ran out of order");
            }
        }
        d.close();
    }

    @Test
    void barrierWithNothingQueuedReturns() {
        GraceDomain d = domain();
        d.barrier();
        d.barrier();
        d.close();
    }

    @Test
    void barrierFromADeferredActionIsRefused() {
        GraceDomain d = domain();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        d.callAfterGrace(() -> {
            try {
                d.barrier();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        d.barrier();
        assertInstanceOf(IllegalStateException.class, thrown.get());
        d.close();
    }

    @Test
    void closeRunsQueuedActionsThenRefusesNewOnes() {
        GraceDomain d = domain();
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 100; i++) {
            d.callAfterGrace(ran::incrementAndGet);
        }
        d.close();
        assertEquals(100, ran.get(), "close() returned before the queued actions ran");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> d.callAfterGrace(ran::incrementAndGet));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertTrue(d.toString().contains("closed"), d.toString());
        d.barrier(); // after close: returns at once
        d.close(); // idempotent
        // readers and synchronize() keep working
        int t = d.enter();
        assertFalse(d.trySynchronize());
        d.exit(t);
        d.synchronize();
        assertEquals(100, ran.get());
    }

    @Test
    void closeOfADomainThatNeverQueuedAnythingReturns() {
        GraceDomain d = domain();
        d.close();
        assertThrows(IllegalStateException.class, () -> d.callAfterGrace(() -> { }));
        d.barrier();
    }

    @Test
    void closeWaitsForActionsHeldBackByAnOpenSection() throws Exception {
        GraceDomain d = domain();
        AtomicReference<Thread> runner = new AtomicReference<>();
        d.callAfterGrace(() -> runner.set(Thread.currentThread()));
        d.barrier();
        int t = d.enter();
        AtomicInteger ran = new AtomicInteger();
        d.callAfterGrace(ran::incrementAndGet);
        Thread closer = start("closer", d::close);
        awaitParkedInDrain(runner.get(), d);
        awaitBlocked(closer);
        assertEquals(0, ran.get());
        assertTrue(closer.isAlive());
        d.exit(t);
        join(closer);
        assertEquals(1, ran.get());
        join(runner.get()); // the action thread ends after close
    }

    @Test
    void closeFromADeferredActionDoesNotWaitForItselfAndLaterActionsStillRun() {
        GraceDomain d = domain();
        AtomicInteger after = new AtomicInteger();
        AtomicReference<Throwable> refused = new AtomicReference<>();
        int section = d.enter(); // holds the first grace period until all three are queued
        d.callAfterGrace(d::close);
        d.callAfterGrace(after::incrementAndGet); // queued before close(): must still run
        d.callAfterGrace(() -> {
            try {
                d.callAfterGrace(() -> { }); // closed by now
            } catch (Throwable e) {
                refused.set(e);
            }
        });
        d.exit(section);
        d.barrier(); // the gate may already be shut: then it waits for the action thread to finish
        d.close();
        assertEquals(1, after.get());
        assertInstanceOf(IllegalStateException.class, refused.get());
        assertTrue(reported.isEmpty());
    }

    @Test
    void nullActionIsRefused() {
        GraceDomain d = domain();
        assertThrows(NullPointerException.class, () -> d.callAfterGrace(null));
        d.close();
    }

    @Test
    void constructorRefusesNulls() {
        assertThrows(NullPointerException.class, () -> new GraceDomain(null, (a, e) -> { }));
        assertThrows(NullPointerException.class, () -> new GraceDomain("x", null));
        assertNotNull(new GraceDomain().toString());
    }
}
