package dev.raceless.loader;

import dev.raceless.refcount.UseCount;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Loads module instances by key on demand and unloads them without races, following Jamie
 * Lokier's protocol from the 2002 "raceless module interface" thread.
 *
 * <p><b>The rule.</b> A request never gets an instance whose unload has begun: it waits until that
 * instance's {@code destroy} has returned and then continues with one fresh instance. There is
 * never more than one live instance per key, and no call reaches an instance whose
 * {@code destroy} has begun.
 *
 * <p><b>Hot path.</b> {@link #acquire(Object)} returns the live instance's {@link Handle} with a
 * use taken: one map lookup and one {@link UseCount#tryAcquire()}, no lock, no allocation. The caller
 * calls {@link Handle#module()} and ends with {@link Handle#release()}. Only when the key is not
 * loaded (or is unloading) does {@code acquire} take the slow path: it loads the module, or waits
 * for the one being loaded, or waits for the dying one's destroy and loads afresh.
 *
 * <p><b>Unloading.</b> {@link #tryUnload(Object)} never blocks: {@code UNLOADED}, or {@code BUSY}
 * with nothing changed. {@link #tryUnload(Object, long, TimeUnit)} refuses new calls while it
 * waits; on timeout it takes the instance back into use. {@link #unload(Object)} blocks until the
 * calls in flight have returned. With {@link Style#THREE_POINT} {@code stop} runs once the unload
 * can no longer fail; with {@link Style#FOUR_POINT} it runs once new calls are refused, and a lost
 * race calls {@code start} again before any new call can reach the module.
 *
 * <p><b>Failures.</b> A factory or {@code init} that throws leaves nothing loaded: the requests
 * waiting for that load get a {@link LoadException}, a later request tries again. A
 * {@code destroy}, {@code stop} or {@code start} that throws is reported to the failure handler
 * and the unload goes on as if it had returned; after a destroy the key is loadable again.
 *
 * <p><b>Memory consistency effects.</b> Actions in {@code init} (and {@code start}) happen-before
 * every call through a handle of that instance. Actions in every call happen-before
 * {@code destroy}, and {@code destroy}'s actions happen-before the load of the next instance of the
 * key (jcstress {@code RequestVsUnload}).
 *
 * <p><b>Sample usage.</b>
 * <pre> {@code
 * ModuleLoader<String, Codec> codecs = new ModuleLoader<>(Codec::forName, new Lifecycle<>() {
 *   public void destroy(Codec c) { c.freeTables(); }
 * }, ModuleLoader.Style.THREE_POINT);
 *
 * ModuleLoader.Handle<Codec> h = codecs.acquire("zstd");
 * try {
 *   h.module().decode(in, out);
 * } finally {
 *   h.release();
 * }
 * }</pre>
 *
 * @param <K> the key (module name)
 * @param <M> the module type
 */
public final class ModuleLoader<K, M> {
    /*
     * Implementation notes.
     *
     * One Handle per instance, kept in a ConcurrentHashMap under its key from the moment its load
     * begins until its destroy has returned. A handle's UseCount is the guard: it is DEAD while
     * the instance loads (created, then shut down), LIVE once init has returned (reopen), and
     * GOING/DEAD again from the start of the unload. A handle is never reopened after an unload;
     * a fresh instance gets a fresh handle.
     *
     * Invariants:
     *   1. The map holds at most one handle per key; a new handle is put only with putIfAbsent,
     *      i.e. after the previous one was removed, which happens after its destroy returned.
     *   2. A handle's UseCount is LIVE only between its init returning and its unload beginning.
     *   3. destroy runs only when the UseCount is DEAD: no call is running and none can start.
     *   4. Exactly one unloader per handle (the unloading CAS).
     *
     * Request vs unload (jcstress RequestVsUnload): the request does map.get, then tryAcquire; the
     * unloader does tryShutdown/shutdown, waits for DEAD, destroys, then removes. A request whose
     * tryAcquire succeeded did so before the count left LIVE (UseCount's TryAcquireVsShutdown), so
     * the unload waits for it (or reports BUSY). A request that fails waits for the attempt's
     * unloadEnded, which completes after the removal (or after a give-back), and retries: it sees
     * the fresh handle or puts it (or takes the given-back instance).
     *
     * Publication of the module: handle.module is a plain field written before reopen()'s volatile
     * write of the state; a successful tryAcquire reads that state, so the caller sees the module
     * and everything init did.
     */

    /** Which lifecycle points an unload uses. */
    public enum Style {
        /** init, stop, destroy: stop runs when the unload can no longer fail. */
        THREE_POINT,
        /** init, start, stop, destroy: stop runs first; an unload that loses calls start again. */
        FOUR_POINT
    }

    /**
     * A loaded instance, and a use of it. Returned with a use held by {@link #acquire(Object)};
     * pass it on with {@link #acquire()} (a hand-off) and end each use with {@link #release()}.
     *
     * @param <M> the module type
     */
    public static final class Handle<M> {
        private final Object key;
        private final UseCount uses;
        private M module; // published by uses.reopen(); see the notes
        private final CompletableFuture<Void> ready = new CompletableFuture<>();
        /** The current unload attempt's end (destroyed, or given back); written before the count leaves LIVE. */
        private volatile CompletableFuture<Void> unloadEnded = NO_ATTEMPT;
        private volatile boolean unloading;

        Handle(Object key) {
            this.key = key;
            this.uses = new UseCount();
            uses.shutdown(); // DEAD until init has returned
        }

        /** The module instance. Call only while holding a use. */
        public M module() {
            return module;
        }

        /** Ends a use. */
        public void release() {
            uses.release();
        }

        /**
         * Takes another use on behalf of a holder (a hand-off): legal while the holder's use is
         * held, even during an unload.
         */
        public void acquire() {
            uses.acquire();
        }

        @Override
        public String toString() {
            return "Handle[" + key + ", " + uses.state() + "]";
        }
    }

    private static final CompletableFuture<Void> NO_ATTEMPT = CompletableFuture.completedFuture(null);

    private final ConcurrentHashMap<K, Handle<M>> loaded = new ConcurrentHashMap<>();
    private final Function<? super K, ? extends M> factory;
    private final Lifecycle<? super M> lifecycle;
    private final Style style;
    private final BiConsumer<? super K, ? super Throwable> failures;

    /**
     * Creates a loader whose lifecycle failures (destroy, stop, start) are logged through
     * {@link System.Logger}.
     *
     * @param factory makes a fresh instance for a key
     * @param lifecycle the points called on each instance
     * @param style which points an unload uses
     */
    public ModuleLoader(Function<? super K, ? extends M> factory, Lifecycle<? super M> lifecycle, Style style) {
        this(factory, lifecycle, style, ModuleLoader::logFailure);
    }

    /**
     * Creates a loader.
     *
     * @param failures receives the key and what a {@code destroy}, {@code stop} or {@code start}
     *        threw (the unload goes on as if it had returned)
     */
    public ModuleLoader(Function<? super K, ? extends M> factory, Lifecycle<? super M> lifecycle, Style style,
                        BiConsumer<? super K, ? super Throwable> failures) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.style = Objects.requireNonNull(style, "style");
        this.failures = Objects.requireNonNull(failures, "failures");
    }

    // ---------------------------------------------------------------- requests

    /**
     * The live instance for {@code key}, with a use taken; loads it first if needed. Never returns
     * an instance that is unloading: waits for its destroy and returns a fresh one. The caller
     * must {@link Handle#release()}.
     *
     * @throws LoadException if the factory or {@code init} threw
     */
    public Handle<M> acquire(K key) {
        Handle<M> h = loaded.get(key);
        if (h != null && h.uses.tryAcquire()) {
            return h;
        }
        return acquireSlow(key);
    }

    /**
     * The live instance for {@code key} with a use taken, or {@code null} if none is live (not
     * loaded, loading, or unloading). Never loads, never blocks.
     */
    public Handle<M> tryAcquire(K key) {
        Handle<M> h = loaded.get(key);
        return h != null && h.uses.tryAcquire() ? h : null;
    }

    /** The keys with an instance loaded, loading or unloading (a snapshot). */
    public Set<K> loadedKeys() {
        return Set.copyOf(loaded.keySet());
    }

    /** Whether a live instance is loaded for {@code key} (a snapshot). */
    public boolean isLoaded(K key) {
        Handle<M> h = loaded.get(key);
        return h != null && h.uses.state() == UseCount.State.LIVE;
    }

    /**
     * Not loaded, loading, or unloading: load, or wait for the load in progress, or wait for the
     * dying instance's destroy, then try again. Out of line: the hot path stays two loads and an
     * xadd.
     */
    private Handle<M> acquireSlow(K key) {
        for (;;) {
            Handle<M> h = loaded.get(key);
            if (h == null) {
                Handle<M> fresh = new Handle<>(key);
                if (loaded.putIfAbsent(key, fresh) == null) {
                    load(key, fresh); // throws LoadException, leaving nothing behind
                }
                continue;
            }
            if (h.uses.tryAcquire()) {
                return h;
            }
            if (!h.ready.isDone()) {
                awaitLoad(key, h);
            } else {
                // Unloading: a request never gets the dying instance. Wait for the attempt to end:
                // destroyed and removed (then load afresh), or given back (then take it again).
                // The attempt's future was written before the count left LIVE, and our failed
                // tryAcquire read that state, so we see this attempt's future or a later one.
                h.unloadEnded.join();
            }
        }
    }

    private void load(K key, Handle<M> h) {
        M m = null;
        boolean initialized = false;
        try {
            m = Objects.requireNonNull(factory.apply(key), "the factory returned null");
            lifecycle.init(m);
            initialized = true;
            if (style == Style.FOUR_POINT) {
                lifecycle.start(m);
            }
            h.module = m;
        } catch (Throwable t) {
            if (initialized) { // start threw: free what init reserved before the next load's init
                try {
                    lifecycle.destroy(m);
                } catch (Throwable d) {
                    t.addSuppressed(d);
                }
            }
            loaded.remove(key, h); // nothing half loaded: a later request tries again
            LoadException e = new LoadException(key, t);
            h.ready.completeExceptionally(e);
            throw e;
        }
        h.uses.reopen(); // publishes module: a volatile write read by every tryAcquire
        h.ready.complete(null);
    }

    private static void awaitLoad(Object key, Handle<?> h) {
        try {
            h.ready.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof LoadException) {
                throw (LoadException) e.getCause();
            }
            throw new LoadException(key, e.getCause());
        }
    }

    // ---------------------------------------------------------------- unloading

    /**
     * Unloads the instance of {@code key} if no call is in flight; never blocks. All or nothing:
     * {@code BUSY} leaves the instance loaded and live (four points: stopped and started again
     * before any new call could reach it).
     *
     * @return {@code UNLOADED}; {@code BUSY} (nothing changed); or {@code NOT_LOADED}
     */
    public UnloadResult tryUnload(K key) {
        Handle<M> h = claim(key);
        if (h == null) {
            return UnloadResult.NOT_LOADED;
        }
        if (style == Style.THREE_POINT) {
            if (!h.uses.tryShutdown()) {
                return release(h); // the count rolled back to LIVE by itself
            }
            stop(key, h);
            return destroy(key, h);
        }
        h.uses.shutdown(); // four points: refuse new calls, stop, then see whether it is idle
        stop(key, h);
        return h.uses.tryShutdown() ? destroy(key, h) : restart(key, h);
    }

    /**
     * Refuses new calls to the instance of {@code key} and waits at most {@code timeout} for the
     * calls in flight; unloads it if they finish, else takes it back into use and reports
     * {@code BUSY}.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws InterruptedException if interrupted while waiting (the instance is taken back into
     *         use, as on a timeout, unless it became idle first: then it is unloaded and the
     *         interrupt status is kept)
     */
    public UnloadResult tryUnload(K key, long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout + " " + unit);
        }
        Handle<M> h = claim(key);
        if (h == null) {
            return UnloadResult.NOT_LOADED;
        }
        h.uses.shutdown(); // no new call from now on
        if (style == Style.FOUR_POINT) {
            stop(key, h);
        }
        boolean idle;
        try {
            idle = h.uses.awaitTermination(timeout, unit);
        } catch (InterruptedException e) {
            if (restart(key, h) == UnloadResult.BUSY) {
                throw e;
            }
            Thread.currentThread().interrupt(); // it became idle first and was unloaded
            return UnloadResult.UNLOADED;
        }
        if (!idle) {
            return restart(key, h);
        }
        if (style == Style.THREE_POINT) {
            stop(key, h);
        }
        return destroy(key, h);
    }

    /**
     * Refuses new calls to the instance of {@code key} at once, runs {@code stop}, waits for the
     * calls in flight to return, and destroys it. If another unload owns the instance, waits for
     * its outcome first (and takes over if that one gave the instance back). Waits
     * uninterruptibly; the interrupt status is kept.
     *
     * @return {@code UNLOADED}, or {@code NOT_LOADED} (nothing live was loaded, or another unload
     *         unloaded it)
     */
    public UnloadResult unload(K key) {
        Handle<M> h;
        while ((h = claim(key)) == null) {
            Handle<M> other = loaded.get(key);
            if (other == null || !other.unloading) {
                return UnloadResult.NOT_LOADED;
            }
            other.unloadEnded.join(); // another unload owns it: wait for its outcome, then decide
        }
        h.uses.shutdown();
        stop(key, h);
        h.uses.termination().join();
        return destroy(key, h);
    }

    /** Claims the unload of the loaded instance of key; null if none or another unloader owns it. */
    private Handle<M> claim(K key) {
        Handle<M> h = loaded.get(key);
        if (h == null || !h.ready.isDone() || h.ready.isCompletedExceptionally()) {
            return null;
        }
        if (!UNLOADING.compareAndSet(h, false, true)) {
            return null; // another unload owns it
        }
        h.unloadEnded = new CompletableFuture<>(); // before the count leaves LIVE; see acquireSlow
        return h;
    }

    /**
     * The unload lost the race while the count is GOING: take the instance back. Four points:
     * start again before {@code cancelShutdown()} lets a new call in, so calls never see a stopped
     * module and start happens-before them. If the count became DEAD in between, the unload
     * stands after all.
     */
    private UnloadResult restart(K key, Handle<M> h) {
        if (style == Style.FOUR_POINT) {
            callPoint(key, "start", h, lifecycle::start);
        }
        if (h.uses.cancelShutdown()) {
            return release(h);
        }
        stop(key, h); // idle after all: three points had not stopped yet; four points started again
        return destroy(key, h);
    }

    /** Ends a failed attempt: the instance is live again; requests that waited take it. */
    private UnloadResult release(Handle<M> h) {
        CompletableFuture<Void> ended = h.unloadEnded;
        h.unloading = false;
        ended.complete(null);
        return UnloadResult.BUSY;
    }

    private void stop(K key, Handle<M> h) {
        callPoint(key, "stop", h, lifecycle::stop);
    }

    /**
     * Runs start or stop; a failure is reported and the protocol goes on as if it had returned,
     * so no request is left waiting on an attempt that never ends.
     */
    private void callPoint(K key, String point, Handle<M> h, Consumer<? super M> call) {
        try {
            call.accept(h.module);
        } catch (Throwable t) {
            report(key, new IllegalStateException(point + " of module " + key + " threw", t));
        }
    }

    /** The count is DEAD: destroy, remove, and let the waiting requests load afresh. */
    private UnloadResult destroy(K key, Handle<M> h) {
        try {
            lifecycle.destroy(h.module);
        } catch (Throwable t) {
            report(key, t);
        } finally {
            h.module = null; // let the instance (and its class loader) be collected
            loaded.remove(key, h);
            h.unloadEnded.complete(null); // waiting requests retry and load a fresh instance
        }
        return UnloadResult.UNLOADED;
    }

    private void report(K key, Throwable t) {
        try {
            failures.accept(key, t);
        } catch (Throwable handlerFailure) {
            t.addSuppressed(handlerFailure);
            logFailure(key, t);
        }
    }

    private static void logFailure(Object key, Throwable failure) {
        System.getLogger("dev.raceless.loader").log(System.Logger.Level.WARNING,
                "a lifecycle point of module " + key + " threw; the unload went on", failure);
    }

    @Override
    public String toString() {
        return "ModuleLoader[" + style + ", loaded " + loaded.keySet() + "]";
    }

    // VarHandle mechanics
    private static final VarHandle UNLOADING;

    static {
        try {
            UNLOADING = MethodHandles.lookup().findVarHandle(Handle.class, "unloading", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
