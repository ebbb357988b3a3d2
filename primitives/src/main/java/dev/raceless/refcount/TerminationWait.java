package dev.raceless.refcount;

import dev.raceless.internal.Stalls;
import dev.raceless.internal.jfr.TerminationEvent;
import jdk.jfr.EventType;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The waits of {@link UseCount#awaitTermination()}: park on the life's termination future, and
 * report once when the wait passes the count's stall threshold; and the JFR event of a life's end.
 */
final class TerminationWait {
    private static final EventType TERMINATION = EventType.getEventType(TerminationEvent.class);

    private TerminationWait() {
    }

    /** The JFR event of a life's end; off unless recording: one check on this slow path. */
    static void recordTermination(UseCount count, long shutdownAt) {
        if (TERMINATION.isEnabled()) {
            TerminationEvent event = new TerminationEvent();
            event.count = count.toString();
            event.shutdownToTermination = System.nanoTime() - shutdownAt;
            event.commit();
        }
    }

    /** Waits for f at most timeoutNanos (MAX_VALUE: for ever), reporting once if the wait stalls. */
    static boolean await(UseCount count, CompletableFuture<Void> f, long timeoutNanos) throws InterruptedException {
        Stalls set = count.stalls;
        Stalls sc = set != null ? set : UseCount.DEFAULT_STALLS;
        long start = System.nanoTime();
        try {
            if (timeoutNanos > sc.nanos()) {
                try {
                    f.get(sc.nanos(), TimeUnit.NANOSECONDS);
                    return true;
                } catch (TimeoutException stalled) {
                    report(count, sc, System.nanoTime() - start);
                }
            }
            if (timeoutNanos == Long.MAX_VALUE) {
                f.get();
                return true;
            }
            long left = timeoutNanos - (System.nanoTime() - start);
            if (left <= 0) {
                return f.isDone();
            }
            f.get(left, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new AssertionError("termination is only ever completed normally", e);
        }
    }

    private static void report(UseCount count, Stalls sc, long waited) {
        UseTracker tracker = count.tracker;
        long own = UseCount.SLOTS ? count.slots.ownNet(0) : 0; // the waiter's own slot: a hint (uses may be handed on)
        String report = "stall: " + Thread.currentThread() + " has waited " + Stalls.millis(waited)
                + " for the termination of " + count
                + (own > 0 ? "; the waiting thread itself took " + own + " more uses than it released: if it"
                + " still holds one, the termination it waits for cannot come" : "")
                + (tracker != null ? "; uses held:" + tracker.describe()
                : "; run with -D" + UseCount.DEBUG_PROPERTY + "=true to see which threads hold the uses");
        sc.report("awaitTermination() of " + count, waited, report);
    }
}
