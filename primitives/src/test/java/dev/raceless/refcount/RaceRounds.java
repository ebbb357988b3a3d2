package dev.raceless.refcount;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test helper: runs one race many times, a poor man's jcstress for unit tests. Each actor has a
 * long-lived thread of its own; every round the test thread sets up a fresh state, calls
 * {@link #start()} to let all actors run their step once, may run its own step meanwhile (so it
 * races with them), then calls {@link #awaitEnd()} and checks the outcome.
 *
 * <p>Actors spin (yielding, since the machine may have fewer CPUs than actors) rather than park
 * between rounds, so that their steps start as close together as possible. Even so the test thread,
 * which starts the round, is always a little ahead; so each round delays one side by a few spins,
 * sweeping the offset between the two sides over {@value #SWEEP} x {@value #SWEEP} rounds, as
 * jcstress varies its own timing. A step that throws fails the round: {@code awaitEnd()} rethrows
 * it, wrapped in an {@link AssertionError} that names the round.
 */
final class RaceRounds implements AutoCloseable {
    /** One actor's step in a round; {@code round} counts from 1. */
    interface Step {
        void run(int round) throws Exception;
    }

    /** Delays, in spin-waits, go from 0 to SWEEP - 1 on each side. */
    static final int SWEEP = 16;

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger finished = new AtomicInteger();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private volatile int round;
    private volatile boolean closed;

    RaceRounds(Step... actors) {
        for (Step actor : actors) {
            Thread t = new Thread(() -> loop(actor), "race-actor");
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** The threads running the actors, in the order the actors were given. */
    List<Thread> threads() {
        return threads;
    }

    /**
     * Starts the next round: every actor runs its step once. Returns the round number, after the
     * test thread's delay for this round.
     */
    int start() {
        finished.set(0);
        int r = round + 1;
        round = r; // volatile write: publishes the test thread's setup to the actors
        spin(r % SWEEP);
        return r;
    }

    private static void spin(int n) {
        for (int i = 0; i < n; i++) {
            Thread.onSpinWait();
        }
    }

    /** Waits until every actor has run its step this round; fails if one threw. */
    void awaitEnd() {
        int spins = 0;
        while (finished.get() < threads.size()) {
            if (++spins % 64 == 0) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
        Throwable f = failures.poll();
        if (f != null) {
            throw new AssertionError("round " + round + ": an actor threw " + f, f);
        }
    }

    private void loop(Step actor) {
        int done = 0;
        while (!closed) {
            int spins = 0;
            while (round == done) {
                if (closed) {
                    return;
                }
                if (++spins % 64 == 0) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
            done = round;
            spin((done / SWEEP) % SWEEP);
            try {
                actor.run(done);
            } catch (Throwable t) {
                failures.add(t);
            }
            finished.incrementAndGet();
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
