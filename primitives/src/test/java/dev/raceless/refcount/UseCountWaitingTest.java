package dev.raceless.refcount;

import dev.raceless.refcount.UseCount.State;
import dev.raceless.testing.VirtualThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Waiting for the end of a life: {@code awaitTermination()} and its timed variant return once the
 * count is {@code DEAD}, park (no monitors, so virtual threads are not pinned), answer interrupts
 * with {@link InterruptedException}, and reject a bad timeout.
 *
 * <p>No test measures time. A waiter is made to wait for real by waiting until it is parked inside
 * {@code awaitTermination} ({@link Parking}); the {@code @Timeout} is a hang guard only, so that a
 * waiter that never wakes fails the test instead of stalling the build.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UseCountWaitingTest {

    /** A count in {@code GOING} with one use held; releasing it ends the life. */
    private static UseCount goingWithOneUse() {
        UseCount uc = new UseCount();
        uc.tryAcquire();
        uc.shutdown();
        return uc;
    }

    /** A platform thread running {@code result}: the thread to watch or interrupt, and its outcome. */
    private record Waiter<T>(Thread thread, FutureTask<T> result) {
        static <T> Waiter<T> start(Callable<T> task) {
            FutureTask<T> f = new FutureTask<>(task);
            Thread t = new Thread(f, "waiter");
            t.setDaemon(true);
            t.start();
            return new Waiter<>(t, f);
        }

        /** Returns once the waiter is parked in awaitTermination. */
        Waiter<T> parked() {
            Parking.awaitParkedIn(thread, "awaitTermination");
            return this;
        }
    }

    /** A waiter in the untimed awaitTermination() of {@code uc}. */
    private static Waiter<Void> awaiting(UseCount uc) {
        return Waiter.start(() -> {
            uc.awaitTermination();
            return null;
        });
    }

    /** What the waiter threw. */
    private static Throwable failureOf(Waiter<?> w) {
        return assertThrows(ExecutionException.class, () -> w.result().get()).getCause();
    }

    // ---------------------------------------------------------------- untimed

    @Test
    void awaitTerminationReturnsAtOnceOnADeadCount() throws InterruptedException {
        UseCount uc = new UseCount();
        uc.shutdown();
        uc.awaitTermination();
        assertEquals(State.DEAD, uc.state());
    }

    @Test
    void awaitTerminationReturnsAfterTheLastRelease() throws Exception {
        UseCount uc = goingWithOneUse();
        Waiter<State> w = Waiter.start(() -> {
            uc.awaitTermination();
            return uc.state();
        }).parked();
        assertFalse(w.result().isDone());
        uc.release();
        assertEquals(State.DEAD, w.result().get());
    }

    @Test
    void awaitTerminationParksWithoutHoldingAMonitor() throws Exception {
        UseCount uc = goingWithOneUse();
        Waiter<Void> w = awaiting(uc);
        StackTraceElement[] stack = Parking.awaitParkedIn(w.thread(), "awaitTermination");
        assertFalse(Parking.contains(stack, "java.lang.Object", "wait"), "waits on a monitor");
        assertEquals(0, Parking.lockedMonitors(w.thread()), "holds a monitor while waiting");
        uc.release();
        w.result().get();
    }

    @Test
    void awaitTerminationThrowsInterruptedExceptionWhenInterruptedWhileWaiting() {
        UseCount uc = goingWithOneUse();
        Waiter<Void> w = awaiting(uc).parked();
        w.thread().interrupt();
        assertInstanceOf(InterruptedException.class, failureOf(w));
    }

    @Test
    void awaitTerminationThrowsInterruptedExceptionWhenInterruptedBeforeWaiting() {
        UseCount uc = goingWithOneUse();
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedException.class, uc::awaitTermination);
        } finally {
            Thread.interrupted(); // leave the test thread clean whatever happened
        }
    }

    @Test
    void interruptedWaitLeavesTheCountAsItWas() {
        UseCount uc = goingWithOneUse();
        Waiter<Void> w = awaiting(uc).parked();
        w.thread().interrupt();
        failureOf(w);
        assertEquals(State.GOING, uc.state());
        assertEquals(1, uc.estimate());
        uc.release();
        assertEquals(State.DEAD, uc.state());
        assertTrue(uc.termination().isDone());
    }

    // ---------------------------------------------------------------- virtual threads

    @Test
    void awaitTerminationOnAVirtualThreadReturnsAfterTheLastRelease() throws Exception {
        assumeTrue(VirtualThreads.supported(), "virtual threads need JDK 21+");
        UseCount uc = goingWithOneUse();
        FutureTask<State> waiter = new FutureTask<>(() -> {
            uc.awaitTermination();
            return uc.state();
        });
        Thread t = VirtualThreads.start(waiter);
        assertTrue(VirtualThreads.isVirtual(t));
        StackTraceElement[] stack = Parking.awaitParkedIn(t, "awaitTermination");
        assertFalse(Parking.contains(stack, "java.lang.Object", "wait"), "waits on a monitor");
        uc.release();
        assertEquals(State.DEAD, waiter.get());
    }

    /**
     * Many more virtual waiters than carrier threads must all get parked: a waiter pinned to its
     * carrier (parking while holding a monitor, on JDK 21 to 23) would starve the rest, and this
     * test would hang until its guard fails it.
     */
    @Test
    void awaitTerminationDoesNotPinVirtualThreads() throws Exception {
        assumeTrue(VirtualThreads.supported(), "virtual threads need JDK 21+");
        UseCount uc = goingWithOneUse();
        int waiters = 16 * Runtime.getRuntime().availableProcessors() + 16;
        List<Thread> threads = new ArrayList<>();
        List<FutureTask<State>> results = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            FutureTask<State> f = new FutureTask<>(() -> {
                uc.awaitTermination();
                return uc.state();
            });
            results.add(f);
            threads.add(VirtualThreads.start(f));
        }
        for (Thread t : threads) {
            Parking.awaitParkedIn(t, "awaitTermination");
        }
        uc.release();
        for (FutureTask<State> f : results) {
            assertEquals(State.DEAD, f.get());
        }
    }

    // ---------------------------------------------------------------- timed

    @Test
    void timedAwaitTerminationReturnsTrueOnADeadCount() throws InterruptedException {
        UseCount uc = new UseCount();
        uc.shutdown();
        assertTrue(uc.awaitTermination(0, TimeUnit.NANOSECONDS));
    }

    @Test
    void timedAwaitTerminationReturnsFalseWhenTheTimeRunsOut() throws InterruptedException {
        UseCount uc = goingWithOneUse();
        assertFalse(uc.awaitTermination(1, TimeUnit.MILLISECONDS));
        assertEquals(State.GOING, uc.state());
    }

    @Test
    void timedAwaitTerminationWithZeroTimeoutReturnsFalseWhileAUseIsHeld() throws InterruptedException {
        UseCount uc = goingWithOneUse();
        assertFalse(uc.awaitTermination(0, TimeUnit.SECONDS));
    }

    @Test
    void timedAwaitTerminationOnALiveCountReturnsFalse() throws InterruptedException {
        assertFalse(new UseCount().awaitTermination(1, TimeUnit.MILLISECONDS));
    }

    @Test
    void timedAwaitTerminationReturnsTrueAfterTheLastRelease() throws Exception {
        UseCount uc = goingWithOneUse();
        Waiter<Boolean> w = Waiter.start(() -> uc.awaitTermination(1, TimeUnit.DAYS)).parked();
        uc.release();
        assertTrue(w.result().get());
    }

    @Test
    void timedAwaitTerminationThrowsInterruptedExceptionWhenInterruptedWhileWaiting() {
        UseCount uc = goingWithOneUse();
        Waiter<Boolean> w = Waiter.start(() -> uc.awaitTermination(1, TimeUnit.DAYS)).parked();
        w.thread().interrupt();
        assertInstanceOf(InterruptedException.class, failureOf(w));
    }

    @Test
    void timedAwaitTerminationRejectsANegativeTimeout() {
        UseCount uc = goingWithOneUse();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> uc.awaitTermination(-1, TimeUnit.SECONDS));
        assertTrue(e.getMessage().contains("timeout"), e.getMessage());
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void timedAwaitTerminationRejectsANegativeTimeoutEvenWhenDead() {
        UseCount uc = new UseCount();
        uc.shutdown();
        assertThrows(IllegalArgumentException.class, () -> uc.awaitTermination(-1, TimeUnit.SECONDS));
    }

    @Test
    void timedAwaitTerminationRejectsANullUnit() {
        UseCount uc = goingWithOneUse();
        NullPointerException e = assertThrows(NullPointerException.class, () -> uc.awaitTermination(1, null));
        assertTrue(String.valueOf(e.getMessage()).contains("unit"), e.getMessage());
    }
}
