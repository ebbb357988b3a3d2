package dev.raceless.refcount;

import dev.raceless.refcount.UseCount.State;
import dev.raceless.testing.VirtualThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Churn: {@value #WORKERS} threads take uses, hand some on to each other and release them, spread
 * over all stripes, while the test thread runs many lives of the count (shutdown, await
 * termination, reopen). Bounded by counts, never by time.
 *
 * <p>What is checked, and by whom:
 * <ul>
 *   <li>a worker holding a use never sees the count {@code DEAD} nor its life's termination done
 *       (no false zero);
 *   <li>a worker whose {@code tryAcquire()} started after the test thread's {@code shutdown()}
 *       returned, with no reopen since, never gets a use (the {@code epoch} check below);
 *   <li>when termination has completed, no use is held by anyone ({@code held} is zero);
 *   <li>no legal call throws.
 * </ul>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UseCountChurnTest {
    private static final int WORKERS = 8;
    private static final int PLATFORM_LIVES = 1000;
    /**
     * Fewer lives on virtual threads: their carriers never leave the CPU to the test thread of
     * their own accord, so each life costs a scheduler time slice on a small machine.
     */
    private static final int VIRTUAL_LIVES = 100;
    /** Uses granted in a life before the test thread shuts it down, so that lives overlap work. */
    private static final int GRANTS_PER_LIFE = 200;
    private static final Object HANDED_ON = new Object();

    /** Shared by the workers and the test thread of one churn run. */
    private static final class Run {
        final UseCount uc = new UseCount();
        /** Uses held right now, by the workers' own bookkeeping. */
        final AtomicLong held = new AtomicLong();
        final AtomicLong granted = new AtomicLong();
        /** 2k: life k may be open; 2k+1: life k's shutdown() has returned. */
        final AtomicLong epoch = new AtomicLong();
        final ConcurrentLinkedQueue<Object> handedOn = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        final AtomicBoolean stop = new AtomicBoolean();

        void work() {
            try {
                for (int i = 1; !stop.get(); i++) {
                    if (handedOn.poll() != null) {
                        held.decrementAndGet();
                        uc.release(); // a use taken by another worker, on another stripe
                    }
                    long e = epoch.get();
                    if (uc.tryAcquire()) {
                        held.incrementAndGet();
                        granted.incrementAndGet();
                        checkHolding(e);
                        if (i % 4 == 0) {
                            uc.retain();
                            held.incrementAndGet();
                            handedOn.add(HANDED_ON);
                        }
                        held.decrementAndGet();
                        uc.release();
                    } else {
                        Thread.yield(); // not LIVE: let the test thread and the holders move on
                    }
                    if (i % 64 == 0) {
                        Thread.yield(); // more workers than CPUs (and virtual threads are not preempted)
                    }
                }
            } catch (Throwable t) {
                violations.add("worker threw " + t);
            }
        }

        private void checkHolding(long epochBefore) {
            if ((epochBefore & 1) == 1 && epoch.get() == epochBefore) {
                violations.add("tryAcquire succeeded after shutdown() returned (epoch " + epochBefore + ")");
            }
            if (uc.state() == State.DEAD) {
                violations.add("DEAD while a use is held");
            }
            if (uc.termination().isDone()) {
                violations.add("termination completed while a use is held");
            }
        }

        /** The test thread's part: {@code lives} lives, each shut down once the workers got uses in it. */
        void cycleLives(int lives) throws InterruptedException {
            for (int life = 0; life < lives && violations.isEmpty(); life++) {
                long target = granted.get() + GRANTS_PER_LIFE;
                while (granted.get() < target && violations.isEmpty()) {
                    Thread.yield();
                }
                uc.shutdown();
                epoch.set(2L * life + 1);
                if (uc.tryAcquire()) {
                    violations.add("life " + life + ": tryAcquire right after shutdown() succeeded");
                }
                while (!uc.awaitTermination(10, TimeUnit.MILLISECONDS) && violations.isEmpty()) {
                    // poll so that a worker's failure ends the run instead of a wait forever
                }
                if (!violations.isEmpty()) {
                    break;
                }
                if (held.get() != 0) {
                    violations.add("life " + life + ": terminated with " + held.get() + " uses held");
                }
                if (uc.state() != State.DEAD) {
                    violations.add("life " + life + ": terminated but " + uc.state());
                }
                epoch.set(2L * life + 2);
                if (!uc.reopen()) {
                    violations.add("life " + life + ": reopen failed on " + uc);
                }
            }
        }
    }

    private static void churn(Function<Runnable, Thread> starter, int lives) throws InterruptedException {
        Run run = new Run();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            workers.add(starter.apply(run::work));
        }
        try {
            run.cycleLives(lives);
        } finally {
            run.stop.set(true);
            for (Thread w : workers) {
                w.join();
            }
        }
        assertEquals(List.of(), new ArrayList<>(run.violations));
        assertTrue(run.granted.get() >= (long) lives * GRANTS_PER_LIFE, "the workers took too few uses");
    }

    private static Thread platformThread(Runnable task) {
        Thread t = new Thread(task, "churn-worker");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void churnOnPlatformThreadsNeverGrantsAUseInADeadLife() throws InterruptedException {
        churn(UseCountChurnTest::platformThread, PLATFORM_LIVES);
    }

    @Test
    void churnOnVirtualThreadsNeverGrantsAUseInADeadLife() throws InterruptedException {
        assumeTrue(VirtualThreads.supported(), "virtual threads need JDK 21+");
        churn(VirtualThreads::start, VIRTUAL_LIVES);
    }
}
