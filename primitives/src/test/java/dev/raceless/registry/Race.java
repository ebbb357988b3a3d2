package dev.raceless.registry;

import dev.raceless.testing.Background;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Test support: runs a few actions at once, round after round, on threads kept for the whole
 * race. Each round the actions meet at a barrier and then each spins a random few iterations, so
 * that over many rounds every order of their steps gets a chance. Waits are watchdogs only.
 */
final class Race implements AutoCloseable {
    private final ExecutorService pool;

    Race(int threads) {
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "race");
            t.setDaemon(true);
            return t;
        });
    }

    /** One round: every action starts at (about) the same moment; returns their results in order. */
    List<Object> round(Callable<?>... actions) {
        CyclicBarrier start = new CyclicBarrier(actions.length);
        List<Future<?>> futures = new ArrayList<>(actions.length);
        for (Callable<?> action : actions) {
            futures.add(pool.submit(() -> {
                start.await();
                jitter();
                return action.call();
            }));
        }
        List<Object> results = new ArrayList<>(actions.length);
        for (Future<?> f : futures) {
            try {
                results.add(f.get(Background.WATCHDOG_SECONDS, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                throw new AssertionError("an action of the race threw", e.getCause());
            } catch (TimeoutException e) {
                throw new AssertionError("an action of the race hangs (watchdog)", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return results;
    }

    /** Spins a random 0..255 iterations. */
    static void jitter() {
        for (int i = ThreadLocalRandom.current().nextInt(256); i > 0; i--) {
            Thread.onSpinWait();
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
