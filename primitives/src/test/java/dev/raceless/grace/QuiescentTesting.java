package dev.raceless.grace;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Helpers of the QuiescentDomain tests: a reader thread driven step by step, and waiting for an
 * updater to park in a grace period. Deadlines only turn a hang into a failure with a message.
 */
final class QuiescentTesting {
    private QuiescentTesting() {
    }

    /** Waits until {@code t} is parked in a grace period of {@code domain} (its park blocker). */
    static void awaitParkedIn(Thread t, QuiescentDomain domain) {
        long deadline = System.nanoTime() + GraceTesting.PATIENCE_NANOS;
        while (!(LockSupport.getBlocker(t) == domain && t.getState() == Thread.State.TIMED_WAITING)) {
            if (!t.isAlive()) {
                fail(t.getName() + " ended instead of waiting for the grace period");
            }
            if (System.nanoTime() - deadline > 0) {
                fail(t.getName() + " did not park in a grace period; state " + t.getState());
            }
            Thread.yield();
        }
    }

    /**
     * A platform thread that runs the steps given to it, one at a time, and otherwise waits for
     * the next one (while registered and online it holds grace periods, as a blocked reader does).
     */
    static final class Driven implements AutoCloseable {
        private final BlockingQueue<Runnable> steps = new LinkedBlockingQueue<>();
        final Thread thread;
        volatile QuiescentDomain.Reader reader;

        Driven(String name) {
            thread = new Thread(() -> {
                try {
                    for (;;) {
                        Runnable step = steps.take();
                        if (step == STOP) {
                            return;
                        }
                        step.run();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
        }

        private static final Runnable STOP = () -> { };

        /** Runs {@code step} on the thread; the future completes with its result. */
        <T> CompletableFuture<T> submit(Supplier<T> step) {
            CompletableFuture<T> f = new CompletableFuture<>();
            steps.add(() -> {
                try {
                    f.complete(step.get());
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            });
            return f;
        }

        /** Runs {@code step} on the thread and returns its result (or rethrows what it threw). */
        <T> T call(Supplier<T> step) {
            CompletableFuture<T> f = submit(step);
            try {
                return f.get(GraceTesting.PATIENCE_NANOS, TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException) {
                    throw (RuntimeException) e.getCause();
                }
                throw new AssertionError(e.getCause());
            } catch (InterruptedException | TimeoutException e) {
                throw new AssertionError(thread.getName() + " did not run its step", e);
            }
        }

        void run(Runnable step) {
            call(() -> {
                step.run();
                return null;
            });
        }

        /** Registers the thread with {@code d}; it is online. */
        Driven register(QuiescentDomain d) {
            run(() -> reader = d.register());
            return this;
        }

        void quiescent() {
            run(() -> reader.quiescent());
        }

        void offline() {
            run(() -> reader.offline());
        }

        void online() {
            run(() -> reader.online());
        }

        void unregister() {
            run(() -> reader.unregister());
        }

        /** Ends the thread (whatever its registration) and waits for it. */
        @Override
        public void close() throws InterruptedException {
            steps.add(STOP);
            GraceTesting.join(thread);
        }
    }
}
