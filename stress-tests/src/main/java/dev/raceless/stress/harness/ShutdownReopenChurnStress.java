package dev.raceless.stress.harness;

import dev.raceless.refcount.UseCount;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/*
    Lives churning under load: holder threads take and drop uses as fast as they can while one
    cycler thread ends life after life and starts the next. Checks that no use outlives the life it
    was taken in, that every life ends once its uses are gone, and that reopen() always succeeds
    on a DEAD count.

      cycler   loop: end the life (shutdown(), or on every other cycle tryShutdown() first, then
               shutdown() if it was busy); awaitTermination() with a timeout; ended = L;
               life = L + 1; reopen(); let the new life run for a moment
      holders  loop: if another holder handed a use on (a queue), take it over, check, release it;
               else tryAcquire(); if taken, read life; one time in four hand a second use on with
               retain() through the queue; hold for a random while, checking; release

    Which life did a holder's use come from? termination() answers for the life current at the
    call, and the holder cannot read the state and the life in one step. So the cycler keeps two
    counters: life, written BEFORE reopen() starts that life, and ended, written after
    awaitTermination() returned for it. A use taken in life X was taken after reopen() of X (the
    taker read LIVE, which the reopen wrote), so the holder's later read of life is at least X: an
    upper bound. If ended reaches that bound while the use is held, life X ended under it: a
    violation, never a false alarm. While a use is held its life is the current one, so the holder
    also checks that state() is not DEAD and that termination() is not done.

    Uses a UseCount with 64 stripes, so the threads land on different stripes: a handed-on use is
    taken on the stripe of one holder and dropped on the stripe of another (Piggin's pattern),
    while lives end and start around it.

    Checks (any one fails the run): a holder sees its life ended, the count DEAD or its
    termination done while it holds a use; retain() or release() throws under correct use; a
    life does not end within 10 s of its shutdown; reopen() fails on a DEAD count; at the end the
    count does not die with no use left, or estimate() is not 0.

    How to run (also part of StressMain --check):
       $ java -cp stress-tests/target/jcstress.jar dev.raceless.stress.harness.StressMain --check --only ShutdownReopen
 */
public final class ShutdownReopenChurnStress implements Scenario.Bounded {

    static final int STRIPES = 64;
    private static final long LIFE_TIMEOUT_SECONDS = 10;

    private final int holders;
    private final Budget budget;

    private ShutdownReopenChurnStress(int holders, Budget budget) {
        this.holders = holders;
        this.budget = budget;
    }

    /** Four holders and a cycler on a UseCount(64). */
    public static ShutdownReopenChurnStress onUseCount() {
        return new ShutdownReopenChurnStress(4, Budget.of(Long.MAX_VALUE / 4, 8_000));
    }

    @Override
    public String name() {
        return "ShutdownReopenChurnStress[UseCount, " + holders + " holders]";
    }

    @Override
    public Verdict check() throws InterruptedException {
        return new Churn().go();
    }

    private final class Churn {
        final UseCount count = new UseCount(STRIPES);
        final long start = System.nanoTime();
        final long deadline = budget.deadline(start);
        volatile long life = 1;  // the current life, or the next one; written before reopen()
        volatile long ended;     // the last life whose awaitTermination() returned
        volatile boolean stop;
        final AtomicReference<String> violation = new AtomicReference<>();
        final LongAdder taken = new LongAdder();
        final LongAdder refused = new LongAdder();
        final LongAdder handOffs = new LongAdder();
        /** Uses handed on, each as the life bound of its taker; the queue is the happens-before edge. */
        final Queue<Long> handedOn = new ConcurrentLinkedQueue<>();
        long lives;
        long tryShutdownWins;

        void fail(String what) {
            violation.compareAndSet(null, what);
            stop = true;
        }

        Verdict go() throws InterruptedException {
            Thread[] threads = new Thread[holders];
            for (int i = 0; i < holders; i++) {
                threads[i] = new Thread(this::hold, "holder-" + i);
                threads[i].setDaemon(true);
                threads[i].start();
            }
            try {
                cycle();
            } catch (RuntimeException | Error e) {
                fail("cycler threw " + e);
            }
            stop = true;
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(LIFE_TIMEOUT_SECONDS));
                if (t.isAlive()) {
                    fail(t.getName() + " hung");
                }
            }
            for (Long mine; (mine = handedOn.poll()) != null; ) {
                check(mine); // uses handed on but not taken over when the holders stopped
                count.release();
            }
            if (violation.get() == null) {
                finalLife();
            }
            String ran = String.format("%,d lives (%,d ended by tryShutdown), %,d uses taken, %,d refused, "
                            + "%,d hand-offs in %.1f s", lives, tryShutdownWins, taken.sum(), refused.sum(),
                    handOffs.sum(), (System.nanoTime() - start) / 1e9);
            if (violation.get() != null) {
                return Verdict.fail(ran + "; " + violation.get());
            }
            if (lives == 0 || taken.sum() == 0) {
                return Verdict.fail(ran + ": nothing was tested");
            }
            return Verdict.pass(ran + ": no use outlived its life");
        }

        /** The cycler: ends the current life, waits for it, starts the next. Runs on the caller. */
        void cycle() throws InterruptedException {
            while (!stop && System.nanoTime() - deadline < 0) {
                long l = life;
                boolean ended1 = (lives & 1) == 1 && count.tryShutdown();
                if (ended1) {
                    tryShutdownWins++;
                } else {
                    count.shutdown();
                }
                if (!count.awaitTermination(LIFE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    fail("life " + l + " did not end within " + LIFE_TIMEOUT_SECONDS + " s of its shutdown: " + count);
                    return;
                }
                if (count.state() != UseCount.State.DEAD) {
                    fail("awaitTermination() returned for life " + l + " but the count is " + count.state());
                    return;
                }
                lives++;
                ended = l;
                life = l + 1; // before reopen(): a use taken in life l + 1 reads at least l + 1
                if (!count.reopen()) {
                    fail("reopen() failed on a DEAD count that nobody else reopens: " + count);
                    return;
                }
                for (int i = ThreadLocalRandom.current().nextInt(2_000); i > 0; i--) {
                    Thread.onSpinWait(); // let the new life live a little
                }
            }
        }

        /** A holder: takes, checks while holding, drops. */
        void hold() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int refusals = 0;
            try {
                while (!stop) {
                    Long handed = handedOn.poll();
                    if (handed != null) { // another holder's use, ours now: drop it on our stripe
                        check(handed);
                        count.release();
                        continue;
                    }
                    if (!count.tryAcquire()) {
                        refused.increment();
                        if (++refusals % 64 == 0) {
                            Thread.yield(); // the life is ending: let the cycler run
                        } else {
                            Thread.onSpinWait();
                        }
                        continue;
                    }
                    long mine = life; // at least the life this use was taken in
                    taken.increment();
                    if (random.nextInt(4) == 0) {
                        count.retain(); // legal: a use is held; this one goes to another holder
                        handedOn.offer(mine);
                        handOffs.increment();
                    }
                    for (int i = random.nextInt(64); i >= 0; i--) {
                        check(mine);
                        Thread.onSpinWait();
                    }
                    check(mine);
                    count.release();
                }
            } catch (IllegalStateException e) {
                fail(Thread.currentThread().getName() + ": correct use threw " + e.getMessage());
            } catch (RuntimeException | Error e) {
                fail(Thread.currentThread().getName() + " threw " + e);
            }
        }

        /** Checks made while holding a use taken in a life at most {@code mine}. */
        void check(long mine) {
            long e = ended;
            if (e >= mine) {
                fail("life " + e + " ended while a use taken in life " + mine + " or earlier was held");
            }
            if (count.state() == UseCount.State.DEAD) {
                fail("DEAD while a use was held (life <= " + mine + ")");
            }
            if (count.termination().isDone()) {
                fail("termination() done while a use of the current life was held (life <= " + mine + ")");
            }
        }

        /** With the holders gone: one last life must end at once and leave nothing held. */
        void finalLife() throws InterruptedException {
            count.shutdown();
            if (!count.awaitTermination(LIFE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("the final life did not end with no holder left: " + count);
            } else if (count.estimate() != 0) {
                fail("the count is DEAD but estimate() is " + count.estimate() + ": a use leaked");
            }
        }
    }
}
