package dev.raceless.internal;

import dev.raceless.testing.VirtualThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Slots of ReaderCounts: one per live platform thread whatever its id, adopted after a thread died,
 * none for virtual threads.
 */
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
        int threads = 100; // one after another: each adopts the slot of the one before
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> c.up(0));
            t.start();
            t.join();
        }
        assertEquals(1, c.slotCount(), "threads that died leave their slot to the next one");
        assertEquals(threads, c.slotUps(0), "every up went to the slot");
        assertEquals(threads, c.pending(0), "the uses the dead threads still hold are all counted");
        for (int i = 0; i < threads; i++) {
            c.down(0); // released here, on another thread: the Piggin-safe sum still finds zero
        }
        assertEquals(0, c.pending(0));
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {1, 2, 16, 64, 256})
    void everyLivePlatformThreadCountsInASlotOfItsOwn(int n) throws Exception {
        for (ReaderCounts.Mode mode : List.of(ReaderCounts.Mode.RELEASE, ReaderCounts.Mode.UP_VOLATILE)) {
            ReaderCounts c = new ReaderCounts(2, 2, mode);
            Thread setup = new Thread(() -> { // the object is touched first from another thread
                c.up(0);
                c.down(0);
            });
            setup.start();
            setup.join();
            int calls = 1000;
            CountDownLatch counted = new CountDownLatch(n);
            CountDownLatch end = new CountDownLatch(1);
            Thread[] ts = new Thread[n];
            for (int i = 0; i < n; i++) {
                ts[i] = new Thread(() -> {
                    for (int k = 0; k < calls; k++) {
                        c.up(k & 1);
                        c.down(k & 1);
                    }
                    c.up(0); // held until the end: all n threads are alive at once
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
            assertEquals(n, c.pending(0), "every thread counted");
            long inSlots = c.slotUps(0) + c.slotUps(1);
            long shared = c.sharedUps(0) + c.sharedUps(1);
            assertTrue(inSlots >= 0.99 * (inSlots + shared), mode + ": " + inSlots + " ups in slots, " + shared
                    + " on the shared stripes");
            assertEquals(n, c.slotCount(), mode + ": one slot per live thread (the setup thread's was adopted)");
            end.countDown();
            for (Thread t : ts) {
                t.join();
            }
            assertEquals(0, c.pending(0));
            assertEquals(0, c.pending(1));
            assertTrue(c.footprintBytes() <= 2 * 1024 + n * (ReaderCounts.SLOT_BYTES + 4 + 4 * 8),
                    "footprint " + c.footprintBytes() + " for " + n + " slots");
        }
    }

    @Test
    void threadsWhoseIdsShareAnIndexEntryEachGetASlot() throws Exception {
        ReaderCounts c = new ReaderCounts(1, 2, ReaderCounts.Mode.RELEASE);
        // Thread ids are sequential: keep every 8th of 64 threads alive, so that live ids share
        // their low bits (the smallest index has 8 entries).
        List<Thread> live = new ArrayList<>();
        CountDownLatch end = new CountDownLatch(1);
        CountDownLatch counted = new CountDownLatch(8);
        for (int i = 0; i < 64; i++) {
            boolean keep = i % 8 == 0;
            Thread t = new Thread(() -> {
                if (keep) {
                    c.up(0);
                    counted.countDown();
                    try {
                        end.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    c.down(0);
                }
            });
            t.start();
            if (keep) {
                live.add(t);
            } else {
                t.join();
            }
        }
        counted.await();
        assertEquals(8, c.slotUps(0));
        assertEquals(0, c.sharedUps(0), "no collision sends a thread to the shared stripes");
        end.countDown();
        for (Thread t : live) {
            t.join();
        }
        assertEquals(0, c.pending(0));
    }

    @Test
    void registrationsAdoptionsAndRebuildsNeverHideAHeldUpFromASum() throws Exception {
        ReaderCounts c = new ReaderCounts(1, 2, ReaderCounts.Mode.RELEASE);
        c.up(0); // held by this thread for the whole test
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong wrong = new AtomicLong();
        Thread summer = new Thread(() -> {
            while (!stop.get()) {
                if (c.pending(0) < 1) {
                    wrong.incrementAndGet();
                }
            }
        });
        summer.start();
        // Waves of short-lived threads: new slots, adoptions of dead ones, index rebuilds, while
        // the sum runs; some take a use on one thread and drop it on another.
        for (int wave = 0; wave < 40; wave++) {
            Thread[] ts = new Thread[1 + wave % 24];
            for (int i = 0; i < ts.length; i++) {
                ts[i] = new Thread(() -> {
                    for (int k = 0; k < 200; k++) {
                        c.up(0);
                        c.down(0);
                    }
                    c.up(0);
                    Thread handOff = new Thread(() -> c.down(0));
                    handOff.start();
                    try {
                        handOff.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                ts[i].start();
            }
            for (Thread t : ts) {
                t.join();
            }
        }
        stop.set(true);
        summer.join();
        assertEquals(0, wrong.get(), "a sum missed the use this thread holds");
        assertEquals(1, c.pending(0));
        assertEquals(c.slotUps(0), c.slotUps(0) + c.sharedUps(0), "every up in a slot");
        assertTrue(c.slotCount() <= 2 * 24 + 2, c.slotCount() + " slots for at most 48 threads alive at once");
        c.down(0);
        assertEquals(0, c.pending(0));
    }

    @Test
    void ownNetShowsTheCallingThreadsOpenUpsAndRegistersNothing() throws Exception {
        ReaderCounts c = new ReaderCounts(2, 2, ReaderCounts.Mode.RELEASE);
        assertEquals(0, c.ownNet(0));
        assertEquals(0, c.slotCount(), "asking registers no slot");
        c.up(1);
        c.up(1);
        c.down(1);
        assertEquals(1, c.ownNet(1));
        assertEquals(0, c.ownNet(0));
        long[] other = new long[1];
        Thread t = new Thread(() -> other[0] = c.ownNet(1));
        t.start();
        t.join();
        assertEquals(0, other[0], "another thread's slot is not this thread's");
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
