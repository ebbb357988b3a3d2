package dev.raceless.internal.jfr;

import jdk.jfr.Event;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Runs a slow-path call (a deregistration, an unload or reload) inside its JFR event: begun before
 * the call, committed after it with its result or what it threw. With no recording that enables the
 * event, a commit does nothing; these calls are never on a hot path.
 */
public final class Recorded {
    private Recorded() {
    }

    /**
     * A call that returns a result and may throw {@code X}.
     *
     * @param <R> the result type
     * @param <X> the checked exception it may throw
     */
    @FunctionalInterface
    public interface Call<R, X extends Exception> {
        /**
         * Makes the call.
         *
         * @return its result
         * @throws X what it may throw
         */
        R call() throws X;
    }

    /**
     * Runs a deregistration call inside a {@link DeregistrationEvent}.
     *
     * @param <R> the result type
     * @param <X> the checked exception the call may throw
     * @param registration what is deregistered (its toString() is recorded, only when committed)
     * @param variant the method called
     * @param body the call
     * @return what the call returned
     * @throws X what the call threw
     */
    public static <R, X extends Exception> R deregistration(Object registration, String variant, Call<R, X> body)
            throws X {
        DeregistrationEvent event = new DeregistrationEvent();
        return run(event, body, result -> {
            event.registration = String.valueOf(registration);
            event.variant = variant;
            event.result = result;
            event.commit();
        });
    }

    /**
     * Records an asynchronous deregistration when its future completes (the event's duration runs
     * from this call to the completion).
     *
     * @param <R> the result type
     * @param registration what is deregistered
     * @param variant the method called
     * @param future the call's future
     * @return {@code future}
     */
    public static <R> CompletableFuture<R> deregistrationAsync(Object registration, String variant,
                                                               CompletableFuture<R> future) {
        DeregistrationEvent event = new DeregistrationEvent();
        event.begin();
        if (event.isEnabled()) {
            future.whenComplete((r, t) -> {
                event.end();
                if (event.shouldCommit()) {
                    event.registration = String.valueOf(registration);
                    event.variant = variant;
                    event.result = t == null ? String.valueOf(r) : t.getClass().getSimpleName();
                    event.commit();
                }
            });
        }
        return future;
    }

    /**
     * Runs an unload or reload inside a {@link ModuleUnloadEvent}.
     *
     * @param <R> the result type
     * @param <X> the checked exception the call may throw
     * @param loader the loader (its toString() is recorded, only when committed)
     * @param key the module's key
     * @param operation the method called
     * @param body the call
     * @return what the call returned
     * @throws X what the call threw
     */
    public static <R, X extends Exception> R moduleUnload(Object loader, Object key, String operation,
                                                          Call<R, X> body) throws X {
        ModuleUnloadEvent event = new ModuleUnloadEvent();
        return run(event, body, result -> {
            event.loader = String.valueOf(loader);
            event.key = String.valueOf(key);
            event.operation = operation;
            event.result = result;
            event.commit();
        });
    }

    /** Begins {@code event}, makes the call, and if the event is to be committed fills and commits it. */
    private static <R, X extends Exception> R run(Event event, Call<R, X> body, Consumer<String> commit) throws X {
        event.begin();
        String result = "threw";
        try {
            R r = body.call();
            result = String.valueOf(r);
            return r;
        } catch (Throwable t) {
            result = t.getClass().getSimpleName();
            throw t;
        } finally {
            if (event.shouldCommit()) {
                commit.accept(result);
            }
        }
    }
}
