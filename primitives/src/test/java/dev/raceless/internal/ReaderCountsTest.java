package dev.raceless.internal;

import dev.raceless.testing.VirtualThreads;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Slots of ReaderCounts: one per live thread, adopted after a thread died, none for virtual threads. */
class ReaderCountsTest {

    @Test
    void sharedModeRegistersNoSlot() {
        ReaderCounts c = new ReaderCounts(1, 2, ReaderCounts.Mode.SHARED);
        c.up(0);
        c.up(0);
        c.down(0);
        assertEquals(1, c.pending(0));
        assertEquals(0, c.slotCount());
    }

    @Test
    void eachLaneCountsOnItsOwn() {
        ReaderCounts c = new ReaderCounts(2, 2, ReaderCounts.Mode.RELEASE);
        c.up(0);
        c.up(1);
        c.up(1);
        c.down(1);
        assertEquals(1, c.pending(0));
        assertEquals(1, c.pending(1));
        assertEquals(1, c.slotCount(), "one thread, one slot for both lanes");
    }

    @Test
    void aSlotOfADeadThreadIsAdoptedAndKeepsItsTotals() throws Exception {
        ReaderCounts c = new ReaderCounts(1, 2, ReaderCounts.Mode.UP_VOLATILE);
        int threads = 6 * c.tableSize(); // one after another: entries are reused by adoption
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> c.up(0));
            t.start();
            t.join();
        }
        assertTrue(c.slotCount() <= c.tableSize(), "threads that died leave their slot to the next one: "
                + c.slotCount() + " slots");
        assertEquals(threads, c.pending(0), "the uses the dead threads still hold are all counted");
        for (int i = 0; i < threads; i++) {
            c.down(0); // released here, on another thread: the Piggin-safe sum still finds zero
        }
        assertEquals(0, c.pending(0));
    }

    @Test
    void liveThreadsGetOneSlotEachUpToTheTableSizeAndTheRestCountShared() throws Exception {
        ReaderCounts c = new ReaderCounts(1, 2, ReaderCounts.Mode.RELEASE);
        int n = 3 * c.tableSize(); // more threads than entries: some share the stripes
        CountDownLatch counted = new CountDownLatch(n);
        CountDownLatch end = new CountDownLatch(1);
        Thread[] ts = new Thread[n];
        for (int i = 0; i < n; i++) {
            ts[i] = new Thread(() -> {
                c.up(0);
                counted.countDown();
                try {
                    end.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                c.down(0);
            });
            ts[i].start();
        }
        counted.await();
        assertTrue(c.slotCount() <= c.tableSize(), c.slotCount() + " slots");
        assertEquals(n, c.pending(0), "every thread counted, in a slot or on a stripe");
        end.countDown();
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(0, c.pending(0));
    }

    @Test
    void virtualThreadsNeverGetASlot() throws Exception {
        assumeTrue(VirtualThreads.supported(), "virtual threads need JDK 21");
        ReaderCounts c = new ReaderCounts(1, 2, ReaderCounts.Mode.RELEASE);
        Thread[] ts = new Thread[1000];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = VirtualThreads.start(() -> c.up(0));
        }
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(0, c.slotCount());
        assertEquals(ts.length, c.pending(0));
        assertTrue(c.footprintBytes() < 4096, "no per-virtual-thread memory: " + c.footprintBytes());
    }
}
