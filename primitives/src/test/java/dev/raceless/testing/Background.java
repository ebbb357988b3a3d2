package dev.raceless.testing;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Test support: runs one blocking call on a thread of its own, so a test can watch it block and
 * then let it go. Waits in here are liveness watchdogs (a generous bound that only a hang
 * reaches), never assertions about how long something took.
 */
public final class Background<V> {
    /** Far longer than any step of these tests takes; reached only if something hangs. */
    public static final long WATCHDOG_SECONDS = 30;

    private final FutureTask<V> task;
    private final Thread thread;

    private Background(String name, Callable<V> body) {
        this.task = new FutureTask<>(body);
        this.thread = new Thread(task, name);
        thread.setDaemon(true);
    }

    /** Starts {@code body} on a new daemon thread. */
    public static <V> Background<V> start(String name, Callable<V> body) {
        Background<V> b = new Background<>(name, body);
        b.thread.start();
        return b;
    }

    public Thread thread() {
        return thread;
    }

    public boolean isDone() {
        return task.isDone();
    }

    /** The result; rethrows what the body threw, wrapped in an AssertionError if checked. */
    public V join() {
        try {
            return task.get(WATCHDOG_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            if (e.getCause() instanceof Error) {
                throw (Error) e.getCause();
            }
            throw new AssertionError(thread.getName() + " threw", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(thread.getName() + " did not finish (watchdog): " + stack(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** What the body threw (the test expects it to throw). */
    public Throwable joinFailure() {
        try {
            task.get(WATCHDOG_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError(thread.getName() + " returned normally; expected it to throw");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError(thread.getName() + " did not finish (watchdog): " + stack(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits until the thread is parked (WAITING or TIMED_WAITING) or has finished. */
    public void awaitParked() {
        eventually(() -> {
            Thread.State s = thread.getState();
            return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.TERMINATED;
        }, thread.getName() + " parks");
    }

    private String stack() {
        StringBuilder sb = new StringBuilder(thread.getState().toString());
        for (StackTraceElement e : thread.getStackTrace()) {
            sb.append("\n\tat ").append(e);
        }
        return sb.toString();
    }

    /** Polls {@code condition} until it holds; fails if it never does within the watchdog. */
    public static void eventually(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WATCHDOG_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("never happened (watchdog): " + what);
            }
            LockSupport.parkNanos(100_000L); // a tenth of a millisecond: leave the CPU to the others
        }
    }
}
