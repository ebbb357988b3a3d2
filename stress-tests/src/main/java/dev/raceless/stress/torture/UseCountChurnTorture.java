package dev.raceless.stress.torture;

import dev.raceless.refcount.UseCount;
import dev.raceless.stress.harness.Run;
import dev.raceless.stress.harness.Scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * UseCount shutdown/reopen churn under calls. Three caller threads take uses (some hand one on
 * to a second use before releasing); one churn thread ends lives by {@code shutdown()} and
 * {@code awaitTermination}, by {@code tryShutdown()}, or gives up with a timeout of a few
 * microseconds and {@code cancelShutdown()}, then frees the life and reopens.
 *
 * <p>Errors: a use held while its life was reported finished (use after free); a termination that
 * never comes although every use was released (a lost wake-up: the waiter sleeps past the stall
 * threshold with the count idle); an interrupt of a waiter that is not delivered; a stall nobody
 * injected. Faults: a thread that dies holding a use (the wait must be reported as a stall, then
 * the run releases that use on its behalf); interrupts of a thread parked in
 * {@code awaitTermination()}; tiny timeouts.
 */
public final class UseCountChurnTorture implements Scenario {
    private final UseCount uses = new UseCount();
    /** Set by the churn thread once a life is finished, cleared before the next life opens. */
    private volatile boolean freed;

    @Override
    public String name() {
        return "UseCountChurnTorture";
    }

    @Override
    public List<Thread> threads(Run t) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            threads.add(new Thread(() -> caller(t), "torture-usecount-caller-" + i));
        }
        threads.add(new Thread(() -> churn(t), "torture-usecount-churn"));
        return threads;
    }

    private void caller(Run t) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (t.running()) {
            if (!uses.tryAcquire()) {
                t.op("usecount tryAcquire refused");
                Thread.onSpinWait();
                continue;
            }
            boolean handOff = random.nextInt(8) == 0;
            if (handOff) {
                uses.retain(); // a holder hands a second use on (to itself here)
            }
            if (freed) {
                t.error("use after free", "a use was held in a life already reported finished");
            }
            for (int i = random.nextInt(64); i > 0; i--) {
                Thread.onSpinWait();
            }
            if (freed) {
                t.error("use after free", "a use was still held when its life was reported finished");
            }
            if (handOff) {
                uses.release();
            }
            uses.release();
            t.op("usecount use");
        }
    }

    private void churn(Run t) {
        long round = 0;
        while (t.running()) {
            round++;
            ThreadLocalRandom random = ThreadLocalRandom.current();
            Thread dead = null;
            if (round % 500 == 0) { // fault: a thread takes a use and dies holding it
                dead = new Thread(() -> {
                    while (!uses.tryAcquire()) {
                        Thread.onSpinWait();
                    }
                }, "torture-usecount-dies-holding-a-use");
                dead.start();
                join(dead);
                t.fault("thread died holding a use");
            }
            long start = System.nanoTime();
            switch (random.nextInt(4)) {
                case 0 -> {
                    if (!uses.tryShutdown()) {
                        t.op("usecount tryShutdown busy");
                        if (dead != null) {
                            uses.release(); // nothing waits here: rescue at once, no stall to report
                            t.fault("dead holder released without a stall");
                        }
                        continue;
                    }
                    t.latency("usecount tryShutdown", System.nanoTime() - start);
                }
                case 1 -> { // give up after a tiny timeout; the blocking path below finishes later
                    uses.shutdown();
                    if (!awaitQuietly(t, random.nextInt(5), TimeUnit.MICROSECONDS)) {
                        if (uses.cancelShutdown()) {
                            t.op("usecount cancelShutdown");
                            if (dead != null) {
                                uses.release();
                                t.fault("dead holder released without a stall");
                            }
                            continue;
                        }
                    }
                    t.latency("usecount shutdown to DEAD", System.nanoTime() - start);
                    if (uses.state() != UseCount.State.DEAD) {
                        t.error("missed termination", "awaitTermination returned or cancel failed, count " + uses);
                    }
                }
                case 2 -> { // an interrupted waiter must get its InterruptedException
                    uses.shutdown();
                    interruptAWaiter(t);
                    finish(t, dead, start);
                }
                default -> {
                    uses.shutdown();
                    finish(t, dead, start);
                }
            }
            freed = true; // the module frees what the life protected
            t.op("usecount life");
            freed = false; // before reopen: the next life's users must not see the old free
            if (!uses.reopen()) {
                t.error("reopen refused", "reopen() of a finished life returned false, count " + uses);
                return;
            }
        }
    }

    /** Waits for DEAD; past the stall threshold reports a stall, rescues an injected one, else errs. */
    private void finish(Run t, Thread dead, long start) {
        for (int attempt = 0;; attempt++) {
            if (awaitQuietly(t, t.stallNanos(), TimeUnit.NANOSECONDS)) {
                t.latency("usecount shutdown to DEAD", System.nanoTime() - start);
                return;
            }
            if (dead != null && attempt == 0) {
                System.out.println("stall: shutdown waits for " + uses + "; a use is held by dead thread "
                        + dead.getName());
                t.fault("stall reported");
                uses.release(); // rescue: the dead holder's release, made for it
            } else if (uses.estimate() == 0) {
                t.error("lost wake-up", "awaitTermination sleeps past the stall threshold on an idle count: " + uses);
            } else if (attempt > 3) {
                t.error("unexplained stall", "shutdown waited " + (attempt + 1) + " thresholds: " + uses);
                return;
            }
        }
    }

    private void interruptAWaiter(Run t) {
        Thread waiter = new Thread(() -> {
            try {
                uses.awaitTermination();
            } catch (InterruptedException expected) {
                t.op("usecount waiter interrupted");
            }
        }, "torture-usecount-interrupted-waiter");
        waiter.start();
        waiter.interrupt();
        t.fault("waiter interrupted");
        try {
            waiter.join(TimeUnit.NANOSECONDS.toMillis(t.stallNanos()) + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (waiter.isAlive()) {
            t.error("lost interrupt", "a waiter in awaitTermination() did not return after an interrupt");
        }
    }

    private boolean awaitQuietly(Run t, long timeout, TimeUnit unit) {
        try {
            return uses.awaitTermination(timeout, unit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
