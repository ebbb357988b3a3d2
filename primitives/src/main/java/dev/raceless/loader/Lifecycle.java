package dev.raceless.loader;

/**
 * The points a {@link ModuleLoader} calls on a module instance, from the 2002 thread.
 *
 * <p><b>Three points</b> (Jamie Lokier): {@link #init} reserves and registers; {@link #stop} runs
 * once unloading has begun and cannot be turned back; {@link #destroy} runs after the last call
 * into the module has returned, and frees everything.
 *
 * <p><b>Four points</b> (Rusty Russell): as three, plus {@link #start}, called after {@code init}
 * and again after a {@code stop} whose unload lost the race against a call (the module was still
 * in use), so the module runs on as if it had not been stopped.
 *
 * <p>Which points are used is chosen by {@link ModuleLoader.Style}. {@link #afterDestroy} is a
 * hook of the loader's own, not a point of the protocol: it runs once the unload that destroyed an
 * instance is over. Every method has an empty default.
 *
 * @param <M> the module type
 */
public interface Lifecycle<M> {
    /**
     * Makes a fresh instance ready; runs before any call reaches it. If it throws, the instance is
     * discarded (not destroyed) and the request that loaded it sees the error.
     *
     * @param module the fresh instance, just made by the loader's factory
     * @throws Exception if the instance cannot be made ready; the loader wraps it in a
     *         {@link LoadException}
     */
    default void init(M module) throws Exception {
    }

    /**
     * Four points only: starts, or restarts after a stop that lost the race.
     *
     * @param module the instance, initialized (or stopped by an unload that lost the race)
     */
    default void start(M module) {
    }

    /**
     * Unloading has begun: no new call can reach the module, calls may still be in flight. Three
     * points: there is no way back. Four points: {@link #start} follows if the unload loses the
     * race, before any new call is let in.
     *
     * @param module the instance being unloaded
     */
    default void stop(M module) {
    }

    /**
     * The last call has returned and none can start: free everything.
     *
     * @param module the instance being unloaded; it is never called again
     * @throws Exception if freeing fails; the loader reports it and the unload goes on as if this
     *         method had returned
     */
    default void destroy(M module) throws Exception {
    }

    /**
     * The unload, reload or close that destroyed {@code module} is over: runs after
     * {@link #destroy}, on the thread that called it, once the key is unloaded or (a reload) its
     * fresh instance is live or failed to load, so requests waiting for the key do not wait for
     * this method. Also runs after the {@code destroy} of an instance whose {@code start} threw.
     * Meant for the work that must be done before the unload returns but need not hold up
     * requests (a plugin host closes the instance's class loader here).
     *
     * @param module the instance just destroyed; it is never called again
     * @throws Exception if the work fails; the loader reports it as a failure of {@code destroy}
     */
    default void afterDestroy(M module) throws Exception {
    }
}
