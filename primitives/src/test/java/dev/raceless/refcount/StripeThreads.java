package dev.raceless.refcount;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.SynchronousQueue;

/**
 * Test helper: one long-lived worker thread per stripe of a count, so that a test can take a use on
 * one stripe and release it on another in an order it fixes, one step at a time.
 *
 * <p>A worker for stripe {@code i} is a thread whose id, masked to the stripe count, is {@code i}:
 * the probe {@code dev.raceless.internal.Stripes} uses. If that probe changes, the tests using this
 * class still pass; they just no longer pin each step to the stripe they name.
 */
final class StripeThreads implements AutoCloseable {
    /** A step run on a worker; may throw, and the caller sees what it threw. */
    interface Step {
        void run() throws Exception;
    }

    private final Worker[] byStripe;

    StripeThreads(int stripes) {
        byStripe = new Worker[stripes];
        int found = 0;
        for (int made = 0; found < stripes; made++) {
            if (made > 64 * stripes) {
                close();
                throw new IllegalStateException("no thread ids cover all " + stripes + " stripes");
            }
            Worker w = new Worker(); // ids are taken at construction; unstarted extras are dropped
            int stripe = stripeOf(w.thread, stripes);
            if (byStripe[stripe] == null) {
                byStripe[stripe] = w;
                w.thread.start();
                found++;
            }
        }
    }

    /** The stripe a thread maps to in a count of {@code stripes} stripes (mirrors Stripes' probe). */
    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+, and tests compile for 17
    static int stripeOf(Thread t, int stripes) {
        return (int) t.getId() & (stripes - 1);
    }

    /** Runs {@code step} on the worker of {@code stripe} and waits for it; rethrows what it threw. */
    void run(int stripe, Step step) throws Exception {
        call(stripe, () -> {
            step.run();
            return null;
        });
    }

    /** Calls {@code task} on the worker of {@code stripe} and returns its result. */
    <T> T call(int stripe, Callable<T> task) throws Exception {
        FutureTask<T> f = new FutureTask<>(task);
        byStripe[stripe].tasks.put(f);
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        for (Worker w : byStripe) {
            if (w != null) {
                w.thread.interrupt();
            }
        }
    }

    private static final class Worker {
        final SynchronousQueue<FutureTask<?>> tasks = new SynchronousQueue<>();
        final Thread thread = new Thread(this::loop, "stripe-worker");

        Worker() {
            thread.setDaemon(true);
        }

        private void loop() {
            try {
                for (;;) {
                    tasks.take().run();
                }
            } catch (InterruptedException e) {
                // closed
            }
        }
    }
}
