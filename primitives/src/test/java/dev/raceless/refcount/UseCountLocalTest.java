package dev.raceless.refcount;

import dev.raceless.testing.Background;
import dev.raceless.testing.VirtualThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * UseCount.Local: the count's uses through a thread's own view, in whichever flavour runs (CI runs
 * this class forced ASYMMETRIC, where the Local holds a slot, and FENCED, where it holds a stripe cell).
 * Its ordering is checked by jcstress LocalTryAcquireVsShutdown.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UseCountLocalTest {

    @Test
    void takesAndDropsUsesOfTheCount() {
        UseCount c = new UseCount();
        UseCount.Local local = c.local();
        assertSame(c, local.count());
        assertSame(Thread.currentThread(), local.owner());
        assertTrue(local.tryAcquire());
        assertTrue(local.tryAcquire());
        assertEquals(2, c.estimate());
        local.release();
        local.release();
        assertEquals(0, c.estimate());
        assertEquals(UseCount.State.LIVE, c.state());
    }

    @Test
    void holdsASlotInTheAsymmetricFlavourAndAStripeCellInTheFenced() {
        String s = new UseCount().local().toString();
        boolean ownSlot = ReadSide.active() == ReadSide.ASYMMETRIC;
        assertTrue(s.contains(ownSlot ? ", own slot" : ", own stripe cell"), s + " under " + ReadSide.active());
    }

    @Test
    void refusesOnceShutDown() {
        UseCount c = new UseCount();
        UseCount.Local local = c.local();
        c.shutdown();
        assertFalse(local.tryAcquire());
        assertEquals(UseCount.State.DEAD, c.state());
        assertEquals(0, c.estimate());
    }

    @Test
    void shutdownWaitsForAUseTakenThroughALocal() {
        UseCount c = new UseCount();
        UseCount.Local local = c.local();
        assertTrue(local.tryAcquire());
        c.shutdown();
        assertEquals(UseCount.State.GOING, c.state());
        assertFalse(c.termination().isDone());
        assertFalse(local.tryAcquire());
        local.release(); // the last release ends the life
        assertEquals(UseCount.State.DEAD, c.state());
        assertTrue(c.termination().isDone());
    }

    @Test
    void aUseMayCrossBetweenALocalAndTheCountOnAnyThread() {
        UseCount c = new UseCount();
        UseCount.Local local = c.local();
        assertTrue(local.tryAcquire());
        Background.start("releaser", () -> {
            c.release(); // drops the Local's use on another thread (after a hand-off)
            return null;
        }).join();
        assertEquals(0, c.estimate());
        Background.start("taker", c::tryAcquire).join();
        assertEquals(1, c.estimate());
        c.shutdown();
        assertEquals(UseCount.State.GOING, c.state());
        local.release(); // drops the other thread's use here
        assertEquals(UseCount.State.DEAD, c.state());
    }

    @Test
    void aCallFromAnotherThreadThrowsAndChangesNothing() {
        UseCount c = new UseCount();
        UseCount.Local local = c.local();
        Throwable take = Background.start("intruder", local::tryAcquire).joinFailure();
        assertTrue(take instanceof IllegalStateException, String.valueOf(take));
        assertTrue(take.getMessage().contains("confined to the thread that made it"), take.getMessage());
        assertTrue(take.getMessage().contains("\"intruder\""), take.getMessage());
        assertEquals(0, c.estimate());

        assertTrue(local.tryAcquire());
        Throwable drop = Background.start("intruder", () -> {
            local.release();
            return null;
        }).joinFailure();
        assertTrue(drop instanceof IllegalStateException, String.valueOf(drop));
        assertEquals(1, c.estimate(), "the refused release changed the count");
        local.release();
        assertEquals(0, c.estimate());
    }

    @Test
    void aReleaseOnADeadCountThrowsAsTheCountDoes() {
        UseCount c = new UseCount();
        UseCount.Local local = c.local();
        c.shutdown();
        IllegalStateException e = assertThrows(IllegalStateException.class, local::release);
        assertTrue(e.getMessage().contains("DEAD"), e.getMessage());
        assertEquals(UseCount.State.DEAD, c.state());
        assertTrue(c.reopen(), "the refused release left the count unable to reopen");
    }

    @Test
    void aVirtualThreadsLocalCountsOnTheSharedStripes() throws Exception {
        if (!VirtualThreads.supported()) {
            return; // JDK 17: no virtual threads
        }
        UseCount c = new UseCount();
        AtomicReference<Object> result = new AtomicReference<>();
        Thread vt = VirtualThreads.start(() -> {
            UseCount.Local local = c.local();
            boolean took = local.tryAcquire();
            long held = c.estimate();
            local.release();
            result.set(took && held == 1 ? local.toString() : "took " + took + ", held " + held);
        });
        vt.join(TimeUnit.SECONDS.toMillis(Background.WATCHDOG_SECONDS));
        String expected = ReadSide.active() == ReadSide.ASYMMETRIC ? "no slot of its own" : ", own stripe cell";
        assertTrue(String.valueOf(result.get()).contains(expected), String.valueOf(result.get()));
        assertEquals(0, c.estimate());
    }
}
