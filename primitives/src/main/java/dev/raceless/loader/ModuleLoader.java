package dev.raceless.loader;

import dev.raceless.grace.QuiescentDomain;
import dev.raceless.internal.Stalls;
import dev.raceless.internal.UnloadClaim;
import dev.raceless.internal.Waits;
import dev.raceless.internal.jfr.Recorded;
import dev.raceless.refcount.UseCount;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

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
 * <p><b>Bindings.</b> A caller that calls one key again and again keeps a {@link Binding} of it
 * ({@link #bind(Object)}): the same guarantees as {@code acquire(key)}, without the lookup. Its hot
 * path is one volatile read and the instance's use pair.
 *
 * <p><b>Unloading.</b> {@link #tryUnload(Object)} never blocks: {@code UNLOADED}, or {@code BUSY}
 * with nothing changed. {@link #tryUnload(Object, long, TimeUnit)} refuses new calls while it
 * waits; on timeout it takes the instance back into use. {@link #unload(Object)} refuses new calls
 * and waits until the calls in flight have returned; interrupted, it takes the instance back as a
 * timeout would and throws {@link InterruptedException}. A blocking unload or reload that meets a
 * try form in progress takes it over (three points; a four-point try runs {@code stop} and
 * {@code start}, so it is waited out instead): the try then reports {@code NOT_LOADED} (a reload:
 * {@code BUSY}) and the blocking call finishes the unload (jcstress {@code TryUnloadVsUnload}).
 * With {@link Style#THREE_POINT}
 * {@code stop} runs once the unload can no longer fail; with {@link Style#FOUR_POINT} it runs once
 * new calls are refused, and a lost race calls {@code start} again before any new call can reach
 * the module.
 *
 * <p><b>Reloading.</b> {@link #reload(Object)} replaces the live instance with a fresh one made by
 * the factory, atomically for callers: from the call on no request gets the old instance; the
 * calls in flight on it finish; requests that arrive meanwhile wait and continue with the fresh
 * instance; when {@code reload} returns the fresh instance is live. The factory runs once the old
 * instance is idle and before it is stopped and destroyed; if the factory throws, the old instance
 * is taken back into use untouched (as a {@code BUSY} unload leaves it) and the reload throws
 * {@link LoadException}: a broken new version never takes a working one down. If the fresh
 * instance's {@code init} (or {@code start}) throws, the old one is already destroyed: the key is
 * left unloaded, the waiting requests and the reload get the {@code LoadException}, and the next
 * request loads afresh. Timed and non-blocking forms report {@code BUSY} with nothing changed.
 *
 * <p><b>Unloading from inside a call.</b> A blocking {@link #unload(Object)} or
 * {@link #reload(Object)} by a thread that holds a use of that key's instance would wait for itself:
 * it throws {@link IllegalStateException} saying so and changes nothing, when the loader can tell.
 * With {@code -Ddev.raceless.refcount.debug=true} it always can (handles then record their
 * holders); without it, a {@link PluginHost} tells a thread inside a call of the plugin, while a
 * raw handle held by the unloading thread is not seen (the unload waits and its stall report
 * names the thread). The try forms never wait for calls and report {@code BUSY}.
 *
 * <p><b>Misuse.</b> A {@link Handle#release()} without a matching acquire is not seen on the hot
 * path; the next unload or reload of that instance finds its count negative and repairs it (adds
 * back the missing acquires). A try form ({@code tryUnload}, {@code tryReload}, timed or not) then
 * throws {@link IllegalStateException} saying so and leaves the instance loaded and serving, with
 * no unload pending; the next attempt works. A blocking {@link #unload(Object)},
 * {@link #reload(Object)} or {@link #close()} reports the misuse through {@link System.Logger}
 * (logger {@code dev.raceless.loader}, level {@code WARNING}) and finishes. Registrations follow
 * the same policy. A stray release while calls are in flight may go unseen (the count is then low
 * but not negative). Null arguments throw {@link NullPointerException} naming the parameter.
 *
 * <p><b>Closing.</b> {@link #close()} refuses every new load (with {@link IllegalStateException})
 * and unloads every instance, waiting for the calls in flight; a count corrupted by a stray
 * release is repaired and reported, as by {@link #unload(Object)}.
 *
 * <p><b>Failures.</b> A factory or {@code init} that throws leaves nothing loaded: the requests
 * waiting for that load get a {@link LoadException}, a later request tries again. A
 * {@code destroy}, {@code stop} or {@code start} that throws is reported to the failure handler
 * and the unload goes on as if it had returned; after a destroy the key is loadable again.
 *
 * <p><b>Memory consistency effects.</b> Actions in {@code init} (and {@code start}) happen-before
 * every call through a handle of that instance. Actions in every call happen-before
 * {@code destroy}, and {@code destroy}'s actions happen-before the load of the next instance of the
 * key, also across a reload (jcstress {@code RequestVsUnload}, {@code RequestVsReload}).
 *
 * <p><b>Sample usage.</b>
 * <pre> {@code
 * ModuleLoader<String, Codec> codecs = new ModuleLoader<>(Codec::forName, new Lifecycle<>() {
 *   public void destroy(Codec c) { c.freeTables(); }
 * }, ModuleLoader.Style.THREE_POINT);
 *
 * try (ModuleLoader.Handle<Codec> h = codecs.acquire("zstd")) {
 *   h.module().decode(in, out);
 * }
 * }</pre>
 *
 * @param <K> the key (module name)
 * @param <M> the module type
 */
public final class ModuleLoader<K, M> implements AutoCloseable {
    /*
     * Implementation notes.
     *
     * One Handle per instance, kept in a KeyTable (a copy-on-write map: one volatile load and an
     * array probe per call; the entry holds the handle and, beside it, the handle's UseCount, so
     * a request reads the count without going through the handle) under its key from the moment
     * its load begins until its destroy has returned. A handle's UseCount is the guard: it is DEAD while
     * the instance loads (created, then shut down), LIVE once init has returned (reopen), and
     * GOING/DEAD again from the start of an unload. A handle is reopened after its count went DEAD
     * only by a reload whose factory failed, before anything was stopped for good or destroyed;
     * a destroyed instance is never reopened, a fresh instance gets a fresh handle.
     *
     * Invariants:
     *   1. The map holds at most one handle per key; a new handle is put with putIfAbsent after
     *      the previous one was removed, or by a reload with replace() after the old one's destroy
     *      returned. Either way the old destroy happens-before the new init.
     *   2. A handle's UseCount is LIVE only between its init returning and its unload beginning
     *      (or the give-back that ends an attempt which changed nothing).
     *   3. destroy runs only when the UseCount is DEAD: no call is running and none can start.
     *   4. Exactly one unloader (or reloader) per handle: the handle's UnloadClaim, the protocol
     *      shared with Registration (its class comment: claim word, state machine, invariants;
     *      docs/unload-protocol.md: the proof sketch). Try forms claim TRYING (three points) or
     *      EXCLUSIVE (four points: stop and start run inside the attempt, so no take-over);
     *      unload and reload commit (COMMITTED), taking a TRYING attempt over.
     *   5. Every claim ends in a give-back (claim OPEN, count LIVE) or a destroy (claim DONE), and
     *      completes its attempt's future: also when the attempt throws (misuse found, interrupt),
     *      so no request or unload ever waits on an attempt that ended. Unlike a registration's, a
     *      loader's COMMITTED claim may be undone by its owner (interrupted unload, a reload whose
     *      factory threw): waiters wait for the attempt's end and look again, never for DONE.
     *
     * Loaded means LIVE. claim() takes only a handle whose count it read LIVE: that is the single
     * "ready" mark, written by reopen() once init (and start) returned, and the same mark every
     * tryAcquire and isLoaded() read. (The ready future is no second mark: it completes just
     * after reopen, and an unload between the two would see a callable instance as loading and
     * report NOT_LOADED.) A handle read LIVE whose claim CAS then
     * succeeds is still LIVE: a concurrent attempt either destroyed it (then unloading stays true
     * and the CAS fails) or gave it back LIVE (invariant 5).
     *
     * Request vs unload (jcstress RequestVsUnload): the request reads the key table, then tryAcquire; the
     * unloader does tryShutdown/shutdown, waits for DEAD, seals its claim, destroys, then removes. A
     * request that
     * loads the instance itself publishes it with its own use held (UseCount.reopenAndAcquire), so
     * no unload comes between its load and its call (Lincheck ModuleLoaderLincheckTest). A request whose
     * tryAcquire succeeded did so before the count left LIVE (UseCount's TryAcquireVsShutdown), so
     * the unload waits for it (or reports BUSY). A request that fails waits for the claim's
     * attempt future, which completes after the removal (or replacement, or give-back), and retries:
     * it sees the fresh handle, or puts one, or takes the given-back instance.
     *
     * Reload is an unload whose last step installs the fresh handle instead of removing the old
     * one: refuse (shutdown), wait for DEAD, make the fresh instance (factory), stop and destroy
     * the old one, replace(key, old, fresh) while fresh is still loading, finish the old claim
     * (waiters retry and wait for fresh's load), then init and publish fresh on the
     * reloading thread. The factory runs before the point of no return so that a failure can give
     * the old instance back: UnloadClaim.revive reopens its count (three points: stop has not run;
     * four points: start runs again first).
     *
     * Closing: closed is a volatile flag read only on the load path, after putIfAbsent; close()
     * writes it and then reads the map. Both sides are synchronization actions on the table's
     * volatile and the flag, so either the load sees closed and backs out, or close sees the
     * handle and unloads it (waiting for its load first).
     *
     * Publication of the module: handle.module is a plain field written before reopen()'s volatile
     * write of the state; a successful tryAcquire reads that state, so the caller sees the module
     * and everything init did.
     *
     * Bindings (Binding's notes): a caller may cache a handle and try it first, because a LIVE
     * count means "this is the key's current entry" (invariant 2 and the table invariant above),
     * and a destroyed handle's count is never LIVE again. Handle.module is dropped at destroy, so
     * a cached handle keeps no module reachable.
     *
     * Self-wait: claimWaiting refuses, before it claims anything, when holdsUse says the calling
     * thread holds a use of the handle it would claim or whose attempt it would wait for. holdsUse
     * is read only there: debug mode's per-handle record of holder threads (kept by
     * Handle.taken/release under a static final flag, so the hot path compiles to nothing without
     * it), and the owner's test (PluginHost: in a call of that plugin).
     *
     * afterDestroy: stopAndDestroy returns the destroyed module; the public operation calls the
     * lifecycle's afterDestroy with it once everything else is done (a reload: after the fresh
     * instance is published or failed), on the same thread. PluginHost closes class loaders there;
     * it keeps no state per thread.
     *
     * Order of this file: Handle; construction; requests; unloading; reloading; closing; the
     * shared attempt steps (claim, wait for idle, give back, destroy); VarHandle mechanics.
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
     * pass it on with {@link #retain()} (a hand-off) and end each use with {@link #release()}, or
     * {@link #close()} in a try-with-resources statement: the two are the same call.
     *
     * @param <M> the module type
     */
    public static final class Handle<M> implements AutoCloseable {
        /** The debug property of {@link UseCount}: with it, handles track which threads hold their uses. */
        private static final boolean DEBUG = Boolean.getBoolean(UseCount.DEBUG_PROPERTY);

        private final Object key;
        final UseCount uses; // package-private: Binding's hot path reads it
        M module; // published by uses.reopen(); see the notes
        private final CompletableFuture<Void> ready = new CompletableFuture<>();
        /** Who unloads or reloads this instance, and the attempt requests wait for: the shared protocol. */
        final UnloadClaim claim;
        /** Debug mode only: the uses each thread holds, for the self-unload check. */
        private final ConcurrentHashMap<Thread, Integer> holders = DEBUG ? new ConcurrentHashMap<>() : null;

        Handle(Object key) {
            this(key, "module");
        }

        Handle(Object key, String noun) {
            this.key = key;
            this.uses = new UseCount();
            this.claim = new UnloadClaim(uses, "dev.raceless.loader", () -> noun + " " + key);
            uses.shutdown(); // DEAD until init has returned
        }

        /** {@return the module instance} Call only while holding a use. */
        public M module() {
            return module;
        }

        /**
         * Ends a use. A release without a matching acquire is detected by the next unload or
         * reload of the instance, which repairs it (see the class notes on misuse).
         */
        public void release() {
            if (DEBUG) {
                untaken();
            }
            uses.release();
        }

        /** Ends a use: the same as {@link #release()}, for try-with-resources. */
        @Override
        public void close() {
            release();
        }

        /**
         * Takes another use on behalf of a holder (a hand-off, as {@link UseCount#retain()}): legal
         * while the holder's use is held, even during an unload. Never waits.
         */
        public void retain() {
            uses.retain();
            taken();
        }

        /**
         * Takes another use on behalf of a holder: the same as {@link #retain()}.
         *
         * @deprecated never waits, unlike every other {@code acquire}: use {@link #retain()}
         */
        @Deprecated
        public void acquire() {
            retain();
        }

        /** A use was taken for the calling thread (debug mode: recorded; else nothing). */
        void taken() {
            if (DEBUG) {
                holders.merge(Thread.currentThread(), 1, Integer::sum);
            }
        }

        /** Debug mode: a use ends; one of another thread's if this thread holds none (handed over). */
        private void untaken() {
            Thread me = Thread.currentThread();
            if (holders.containsKey(me)) { // only this thread changes its own entry upwards
                holders.computeIfPresent(me, (t, n) -> n == 1 ? null : n - 1);
                return;
            }
            for (Thread t : holders.keySet()) { // a use another thread took and handed over
                boolean[] done = {false};
                holders.computeIfPresent(t, (x, n) -> {
                    done[0] = true;
                    return n == 1 ? null : n - 1;
                });
                if (done[0]) {
                    return;
                }
            }
        }

        /** Debug mode: whether the calling thread holds a use (handles track their holders only then). */
        boolean heldByCurrentThread() {
            return DEBUG && holders.containsKey(Thread.currentThread());
        }

        @Override
        public String toString() {
            return "Handle[" + key + ", " + uses.state() + "]";
        }
    }

    /**
     * The handles by key, a {@code KeyTable}: replaced, never written, under {@code tableLock}.
     * Not final (as CopyOnWriteArrayList's array is not): a loader must be published safely, as
     * every object with a volatile field that is not final must be.
     */
    private volatile Object[] table = KeyTable.EMPTY;
    private final Object tableLock = new Object();
    private final Function<? super K, ? extends M> factory;
    private final Lifecycle<? super M> lifecycle;
    private final Style style;
    private final BiConsumer<? super K, ? super Throwable> failures;
    private volatile boolean closed;
    /** What the messages call an instance ("module", "plugin") and this loader ("ModuleLoader", "PluginHost"). */
    private final String noun;
    private final String owner;
    /** Whether the calling thread holds a use of a module, as its owner can tell (PluginHost); see holdsUse. */
    private final Predicate<? super M> heldHere;
    /** Stall threshold and reporter for the waits of unload and reload; see reportStalls. */
    private volatile Stalls stalls = Stalls.defaults("dev.raceless.loader");
    /** Quiescent mode: the domain whose online readers call through bindings uncounted; else null. */
    final QuiescentDomain domain;

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
     * @param factory makes a fresh instance for a key
     * @param lifecycle the points called on each instance
     * @param style which points an unload uses
     * @param failures receives the key and what a {@code destroy}, {@code stop} or {@code start}
     *        threw (the unload goes on as if it had returned)
     */
    public ModuleLoader(Function<? super K, ? extends M> factory, Lifecycle<? super M> lifecycle, Style style,
                        BiConsumer<? super K, ? super Throwable> failures) {
        this(factory, lifecycle, style, failures, "module", "ModuleLoader", m -> false);
    }

    /**
     * Creates a loader in quiescent mode: calls through a {@link Binding} by an online reader of
     * {@code domain} ({@link Binding#call(QuiescentDomain.Reader, Function)}) take no use count,
     * and every destroy waits for a grace period of {@code domain} first (docs/loader.md,
     * "Quiescent mode").
     *
     * @param factory makes a fresh instance for a key
     * @param lifecycle the points called on each instance
     * @param style which points an unload uses
     * @param failures receives the key and what a {@code destroy}, {@code stop} or {@code start}
     *        threw (the unload goes on as if it had returned)
     * @param domain the domain whose online readers call without a use count
     */
    public ModuleLoader(Function<? super K, ? extends M> factory, Lifecycle<? super M> lifecycle, Style style,
                        BiConsumer<? super K, ? super Throwable> failures, QuiescentDomain domain) {
        this(factory, lifecycle, style, failures, "module", "ModuleLoader", m -> false,
                Objects.requireNonNull(domain, "domain"));
    }

    /** A loader for an owner (PluginHost) with its own words and its own test for uses held by the caller. */
    ModuleLoader(Function<? super K, ? extends M> factory, Lifecycle<? super M> lifecycle, Style style,
                 BiConsumer<? super K, ? super Throwable> failures, String noun, String owner,
                 Predicate<? super M> heldHere) {
        this(factory, lifecycle, style, failures, noun, owner, heldHere, null);
    }

    /** As above, in quiescent mode if {@code domain} is not null (see QuiescentCalls). */
    ModuleLoader(Function<? super K, ? extends M> factory, Lifecycle<? super M> lifecycle, Style style,
                 BiConsumer<? super K, ? super Throwable> failures, String noun, String owner,
                 Predicate<? super M> heldHere, QuiescentDomain domain) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.lifecycle = domain == null ? Objects.requireNonNull(lifecycle, "lifecycle")
                : new QuiescentCalls.Synchronizing<>(Objects.requireNonNull(lifecycle, "lifecycle"), domain);
        this.style = Objects.requireNonNull(style, "style");
        this.failures = Objects.requireNonNull(failures, "failures");
        this.noun = noun;
        this.owner = owner;
        this.heldHere = domain == null ? heldHere : m -> heldHere.test(m) || QuiescentCalls.inUncountedCall(domain);
        this.domain = domain;
    }

    // ---------------------------------------------------------------- requests

    /**
     * The live instance for {@code key}, with a use taken; loads it first if needed. Never returns
     * an instance that is unloading: waits for its destroy and returns a fresh one. The caller
     * must {@link Handle#release()}.
     *
     * @param key the module's key
     * @return the handle of the live instance, with a use held for the caller
     * @throws LoadException if the factory or {@code init} threw
     * @throws IllegalStateException if the key is not live and the loader is closed
     */
    public Handle<M> acquire(K key) {
        Object[] t = table;
        int i = KeyTable.find(t, Objects.requireNonNull(key, "key")); // an implicit null check once compiled
        if (i >= 0) {
            // Both loads before the count's fence, side by side: the handle is not loaded after it
            Handle<M> h = handleAt(t, i);
            if (((UseCount) t[i + KeyTable.SECOND]).tryAcquire()) {
                h.taken();
                return h;
            }
        }
        return acquireSlow(key);
    }

    /**
     * A standing reference to {@code key} for a caller to keep: its {@link Binding#acquire()},
     * {@link Binding#tryAcquire()} and {@link Binding#call(Function)} reach the key's current
     * instance exactly as {@link #acquire(Object)} and {@link #tryAcquire(Object)} do, without
     * looking the key up (see {@link Binding}). Loads nothing, takes no use; cheap, but meant to be
     * made once and kept.
     *
     * @param key the module's key
     * @return a binding to {@code key}
     */
    public Binding<M> bind(K key) {
        return new Binding<>(this, Objects.requireNonNull(key, "key"));
    }

    /**
     * The live instance for {@code key} with a use taken, or {@code null} if none is live (not
     * loaded, loading, or unloading). Never loads, never blocks.
     *
     * @param key the module's key
     * @return the handle of the live instance with a use held for the caller, or {@code null}
     */
    public Handle<M> tryAcquire(K key) {
        Object[] t = table;
        int i = KeyTable.find(t, Objects.requireNonNull(key, "key"));
        if (i < 0) {
            return null;
        }
        Handle<M> h = handleAt(t, i); // before the count's fence, as in acquire(key)
        if (((UseCount) t[i + KeyTable.SECOND]).tryAcquire()) {
            h.taken();
            return h;
        }
        return null;
    }

    /** {@return the keys with an instance loaded, loading or unloading (a snapshot)} */
    public Set<K> loadedKeys() {
        return Set.copyOf(KeyTable.<K>keys(table));
    }

    /**
     * Returns whether a live instance is loaded for {@code key} (a snapshot).
     *
     * @param key the module's key
     * @return {@code true} if the instance of {@code key} is loaded and live
     */
    public boolean isLoaded(K key) {
        Handle<M> h = handle(Objects.requireNonNull(key, "key"));
        return h != null && h.uses.state() == UseCount.State.LIVE;
    }

    /** {@return whether {@link #close()} has been called} */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Not loaded, loading, or unloading: load, or wait for the load in progress, or wait for the
     * dying instance's destroy, then try again. Out of line: the hot path stays two loads and an
     * xadd.
     */
    private Handle<M> acquireSlow(K key) {
        for (;;) {
            Handle<M> h = handle(key);
            if (h == null) {
                if (closed) {
                    throw closedFor(key);
                }
                Handle<M> fresh = newHandle(key);
                if (putIfAbsent(key, fresh)) {
                    loadFresh(key, fresh, true); // throws, leaving nothing behind
                    fresh.taken();
                    return fresh; // published with this request's use held: no unload comes between
                }
                continue;
            }
            if (h.uses.tryAcquire()) {
                h.taken();
                return h;
            }
            QuiescentDomain.Reader reader = onlineReader(key, "acquire");
            if (reader != null) {
                reader.offline(); // see offlineIfReader
            }
            try {
                awaitLoadOrAttempt(key, h);
            } finally {
                if (reader != null) {
                    reader.online();
                }
            }
        }
    }

    /** acquireSlow's wait: for the load in progress, or for the end of the unload or reload. */
    private static void awaitLoadOrAttempt(Object key, Handle<?> h) {
        if (!h.ready.isDone()) {
            awaitLoad(key, h);
        } else {
            // Unloading or reloading: a request never gets the dying instance. Wait for the
            // attempt to end: removed or replaced (then load afresh or wait for the fresh one),
            // or given back (then take it again). The attempt's future was written before the
            // count left LIVE, and this request's failed tryAcquire read that state, so it sees this
            // attempt's future or a later one.
            h.claim.awaitAttemptUninterruptibly();
        }
    }

    /**
     * Quiescent mode: a blocking operation of a thread that is an online reader of the domain runs
     * offline, a quiescent state of the caller (as QuiescentDomain.synchronize() on an online
     * reader). Online, its waits (for a load, for calls in flight, for another attempt) could wait
     * for a destroy that waits for a grace period that waits for this thread. Else it just runs.
     */
    private <R> R offlineIfReader(K key, String operation, Recorded.Call<R, InterruptedException> body)
            throws InterruptedException {
        QuiescentDomain.Reader reader = onlineReader(key, operation);
        if (reader == null) {
            return body.call();
        }
        reader.offline();
        try {
            return body.call();
        } finally {
            reader.online();
        }
    }

    /**
     * The calling thread's Reader of the domain if it is online in it (quiescent mode; a thread
     * local lookup, on wait paths only), else null. Inside an uncounted call it cannot go offline
     * (a quiescent state in the middle of that call) and cannot wait online: refused.
     */
    private QuiescentDomain.Reader onlineReader(Object key, String operation) {
        QuiescentDomain.Reader reader = QuiescentCalls.onlineReader(domain);
        if (reader == null) {
            return null;
        }
        if (QuiescentCalls.uncountedCallOnStack()) {
            throw new IllegalStateException(noun + " " + key + ": " + operation + "(" + key + ") would wait, and "
                    + "was called from inside an uncounted call of " + domain + ": waiting online could wait for "
                    + "a grace period that waits for this thread, and going offline would end the outer call's "
                    + "protection. Nothing was changed: call it from outside the uncounted call");
        }
        return reader;
    }

    /**
     * Makes and loads the instance of a handle this thread put, and publishes it (with a use held
     * for the caller if {@code withUse}, see publish); throws, removing it, on failure.
     */
    private void loadFresh(K key, Handle<M> h, boolean withUse) {
        if (closed) { // after putIfAbsent: either this call sees closed, or close() sees h (see the notes)
            IllegalStateException e = closedFor(key);
            replace(key, h, null);
            h.ready.completeExceptionally(e);
            throw e;
        }
        M m;
        try {
            m = make(key);
        } catch (Throwable t) {
            throw failLoad(key, h, t);
        }
        publish(key, h, m, withUse);
    }

    private M make(K key) {
        return Objects.requireNonNull(factory.apply(key), "the factory returned null");
    }

    /**
     * Runs init (and start) on a made instance and makes it live, with a use held for the caller
     * if {@code withUse} (a request that loaded it: Lincheck ModuleLoaderLincheckTest found an
     * unload that came between the publication and the request's own tryAcquire, so the request
     * loaded twice); removes it and throws on failure.
     */
    private void publish(K key, Handle<M> h, M m, boolean withUse) {
        boolean initialized = false;
        try {
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
                try {
                    lifecycle.afterDestroy(m);
                } catch (Throwable d) {
                    t.addSuppressed(d);
                }
            }
            throw failLoad(key, h, t);
        }
        // The ready mark: publishes module with a volatile write read by every tryAcquire
        try {
            if (withUse) {
                if (!h.uses.reopenAndAcquire()) {
                    throw new AssertionError("a fresh handle is DEAD until its load publishes it: " + h);
                }
            } else {
                h.uses.reopen();
            }
        } finally {
            h.ready.complete(null); // wakes the requests that waited for this load, whatever was thrown
        }
    }

    /** Nothing half loaded: removes the handle; the waiting requests and the caller get the error. */
    private LoadException failLoad(K key, Handle<M> h, Throwable t) {
        replace(key, h, null); // a later request tries again
        LoadException e = loadFailed(key, t);
        h.ready.completeExceptionally(e);
        return e;
    }

    private static void awaitLoad(Object key, Handle<?> h) {
        try {
            h.ready.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause(); // LoadException, or closed
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
     * @param key the module's key
     * @return {@code UNLOADED}; {@code BUSY} (nothing changed); or {@code NOT_LOADED} (nothing
     *         live: not loaded, still loading, or another unload owns it or took this one over)
     * @throws IllegalStateException if the instance's count shows a release without a matching
     *         acquire; the count is repaired and the instance stays loaded and live
     */
    public UnloadResult tryUnload(K key) {
        return Recorded.moduleUnload(this, key, "tryUnload",
                () -> neverWaits(() -> tryUnload(Objects.requireNonNull(key, "key"), Waits.Mode.TRY, 0L, "tryUnload")));
    }

    private UnloadResult tryUnload(K key, Waits.Mode mode, long nanos, String operation) throws InterruptedException {
        Handle<M> h = handle(key);
        int owned = claim(h);
        if (owned == UnloadClaim.OPEN) {
            return UnloadResult.NOT_LOADED;
        }
        UnloadClaim.Outcome o = awaitIdle(key, h, owned, mode, nanos, operation);
        if (o == UnloadClaim.Outcome.IDLE) {
            return afterDestroy(key, stopAndDestroy(key, h, null));
        }
        // BUSY: nothing changed; NOT_LOADED: a blocking unload took this attempt over, and finishes it
        return o == UnloadClaim.Outcome.GIVEN_BACK ? UnloadResult.BUSY : UnloadResult.NOT_LOADED;
    }

    /**
     * Refuses new calls to the instance of {@code key} and waits at most {@code timeout} for the
     * calls in flight; unloads it if they finish, else takes it back into use and reports
     * {@code BUSY}. Does not wait for another unload or a load in progress: {@code NOT_LOADED}.
     *
     * @param key the module's key
     * @param timeout the longest time to wait for the calls in flight
     * @param unit the unit of {@code timeout}
     * @return {@code UNLOADED}; {@code BUSY} (the calls in flight did not finish in time; the
     *         instance is live again); or {@code NOT_LOADED} (nothing live: not loaded, still
     *         loading, or another unload owns it)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException on a count that shows misuse, as {@link #tryUnload(Object)}
     * @throws InterruptedException if interrupted while waiting (the instance is taken back into
     *         use, as on a timeout, unless it became idle first: then it is unloaded and the
     *         interrupt status is kept)
     */
    public UnloadResult tryUnload(K key, long timeout, TimeUnit unit) throws InterruptedException {
        return offlineIfReader(key, "tryUnload", () -> Recorded.moduleUnload(this, key, "tryUnload(timeout)",
                () -> tryUnloadNow(key, timeout, unit)));
    }

    private UnloadResult tryUnloadNow(K key, long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = Waits.timeoutNanos(timeout, unit);
        return tryUnload(Objects.requireNonNull(key, "key"), Waits.Mode.TIMED, nanos, "tryUnload(timeout)");
    }

    /**
     * Refuses new calls to the instance of {@code key} at once, waits for the calls in flight to
     * return, stops and destroys it. If the instance is still loading, waits for the load first;
     * a try form in progress (three points) is taken over and finished by this call; if another
     * blocking unload or reload (or a four-point try) owns it, waits for that one's outcome (and
     * takes over if it gave the instance back). A {@link Handle#release()} without an acquire
     * found on the way is repaired and logged (see <b>Misuse</b> above); this call still unloads.
     *
     * @param key the module's key
     * @return {@code UNLOADED}, or {@code NOT_LOADED} (nothing was loaded, its load failed, or
     *         another unload unloaded it)
     * @throws IllegalStateException if the calling thread holds a use of the instance (see the
     *         class notes), which this call would wait for forever: nothing is changed
     * @throws InterruptedException if interrupted while waiting; the instance is taken back into
     *         use, as if this call had not been made (unless it became idle first: then it is
     *         unloaded and the interrupt status is kept)
     */
    public UnloadResult unload(K key) throws InterruptedException {
        return offlineIfReader(key, "unload", () -> Recorded.moduleUnload(this, key, "unload", () -> unloadNow(key)));
    }

    private UnloadResult unloadNow(K key) throws InterruptedException {
        Handle<M> h = claimWaiting(Objects.requireNonNull(key, "key"), "unload");
        if (h == null) {
            return UnloadResult.NOT_LOADED;
        }
        awaitIdle(key, h, UnloadClaim.COMMITTED, Waits.Mode.FOREVER, 0L, "unload"); // IDLE unless it throws
        return afterDestroy(key, stopAndDestroy(key, h, null));
    }

    // ---------------------------------------------------------------- reloading

    /**
     * Replaces the live instance of {@code key} with a fresh one from the factory, atomically for
     * callers (see the class notes): from this call on no request gets the old instance; calls in
     * flight on it finish; requests that arrive meanwhile wait and continue with the fresh one,
     * which is live when this method returns. Loads a fresh instance if none is live. Waits for a
     * load in progress, or another unload or reload, to end first.
     *
     * @param key the module's key
     * @return {@code RELOADED}, or {@code LOADED} if no instance was live
     * @throws LoadException if the factory threw (the old instance serves on, untouched) or the
     *         fresh instance's init or start threw (the key is left unloaded)
     * @throws IllegalStateException if the loader is closed, or the calling thread holds a use of
     *         the old instance (see the class notes; nothing is changed). A count that shows misuse
     *         is repaired and logged, and the reload goes on (see <b>Misuse</b> above)
     * @throws InterruptedException if interrupted while waiting for calls in flight; the old
     *         instance serves on, as if this call had not been made
     */
    public ReloadResult reload(K key) throws InterruptedException {
        return reload(key, "reload");
    }

    /** {@link #reload(Object)}, named {@code operation} in its messages (PluginHost: "upgrade"). */
    ReloadResult reload(K key, String operation) throws InterruptedException {
        return offlineIfReader(key, operation, () -> Recorded.moduleUnload(this, key, "reload",
                () -> reloadNow(key, operation)));
    }

    private ReloadResult reloadNow(K key, String operation) throws InterruptedException {
        Objects.requireNonNull(key, "key");
        for (;;) {
            Handle<M> h = claimWaiting(key, operation);
            if (h != null) {
                awaitIdle(key, h, UnloadClaim.COMMITTED, Waits.Mode.FOREVER, 0L, operation); // IDLE unless it throws
                return replace(key, h);
            }
            ReloadResult fresh = loadIfAbsent(key);
            if (fresh != null) {
                return fresh;
            }
        }
    }

    /**
     * {@link #reload(Object)}, waiting at most {@code timeout} for the calls in flight on the old
     * instance; on timeout it takes the old instance back into use and reports {@code BUSY}. Does
     * not wait for another unload or reload or a load in progress: {@code BUSY}.
     *
     * @param key the module's key
     * @param timeout the longest time to wait for the calls in flight on the old instance
     * @param unit the unit of {@code timeout}
     * @return {@code RELOADED}; {@code LOADED} if no instance was loaded; or {@code BUSY}
     *         (nothing changed)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws LoadException as {@link #reload(Object)}
     * @throws IllegalStateException as {@link #reload(Object)}; or if the old instance's count shows
     *         a release without a matching acquire: it is repaired and the old instance serves on
     * @throws InterruptedException if interrupted while waiting for calls in flight; the old
     *         instance serves on, as if this call had not been made
     */
    public ReloadResult tryReload(K key, long timeout, TimeUnit unit) throws InterruptedException {
        return offlineIfReader(key, "tryReload", () -> Recorded.moduleUnload(this, key, "tryReload(timeout)",
                () -> tryReloadNow(key, timeout, unit)));
    }

    private ReloadResult tryReloadNow(K key, long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = Waits.timeoutNanos(timeout, unit);
        return tryReload(Objects.requireNonNull(key, "key"), Waits.Mode.TIMED, nanos, "tryReload(timeout)");
    }

    /**
     * {@link #reload(Object)} if no call is in flight on the old instance; never waits for calls
     * or other unloads: {@code BUSY} with nothing changed. The factory, destroy and init run on
     * the calling thread.
     *
     * @param key the module's key
     * @return {@code RELOADED}; {@code LOADED} if no instance was loaded; or {@code BUSY}
     *         (nothing changed)
     * @throws LoadException as {@link #reload(Object)}
     * @throws IllegalStateException as {@link #tryReload(Object, long, TimeUnit)}
     */
    public ReloadResult tryReload(K key) {
        return Recorded.moduleUnload(this, key, "tryReload",
                () -> neverWaits(() -> tryReload(Objects.requireNonNull(key, "key"), Waits.Mode.TRY, 0L, "tryReload")));
    }

    /** A step of a try form that may wait in its timed form. */
    private interface Step<R> {
        R run() throws InterruptedException;
    }

    /** Runs a try form's step, which never waits: an InterruptedException from it is a bug. */
    private static <R> R neverWaits(Step<R> step) {
        try {
            return step.run();
        } catch (InterruptedException e) {
            throw new AssertionError("a try form never waits", e);
        }
    }

    private ReloadResult tryReload(K key, Waits.Mode mode, long nanos, String operation) throws InterruptedException {
        for (;;) {
            Handle<M> current = handle(key);
            if (current == null) {
                ReloadResult fresh = loadIfAbsent(key);
                if (fresh != null) {
                    return fresh;
                }
                continue; // someone else put one: look again
            }
            int owned = claim(current);
            if (owned == UnloadClaim.OPEN) {
                return ReloadResult.BUSY; // loading, or another attempt owns it
            }
            return awaitIdle(key, current, owned, mode, nanos, operation) == UnloadClaim.Outcome.IDLE
                    ? replace(key, current) : ReloadResult.BUSY; // busy, or taken over by a blocking unload
        }
    }

    /** Loads the key if absent (LOADED), or returns null if another handle got there first. */
    private ReloadResult loadIfAbsent(K key) {
        if (closed) {
            throw closedFor(key);
        }
        Handle<M> fresh = newHandle(key);
        if (!putIfAbsent(key, fresh)) {
            return null;
        }
        loadFresh(key, fresh, false);
        return ReloadResult.LOADED;
    }

    /**
     * The old instance is idle (DEAD): make the fresh one; on failure give the old one back; else
     * stop and destroy the old one, install the fresh handle, and load it.
     */
    private ReloadResult replace(K key, Handle<M> old) {
        M next;
        try {
            next = make(key);
        } catch (Throwable t) {
            revive(key, old);
            throw loadFailed(key, t);
        }
        Handle<M> fresh = newHandle(key);
        M gone = stopAndDestroy(key, old, fresh); // waiting requests now wait for fresh's load
        try {
            publish(key, fresh, next, false); // throws LoadException, leaving the key unloaded
        } finally {
            afterDestroy(key, gone);
        }
        return ReloadResult.RELOADED;
    }

    /**
     * A reload's factory failed after the old count went DEAD, before anything irreversible:
     * three points have not stopped; four points have, and start again. Then a new life of the
     * same count, and the claim is given back.
     */
    private void revive(K key, Handle<M> h) {
        h.claim.revive(UnloadClaim.COMMITTED, style == Style.FOUR_POINT ? () -> start(key, h) : null);
    }

    // ---------------------------------------------------------------- closing

    /**
     * Refuses every new load from now on ({@link IllegalStateException}), then unloads every
     * instance, waiting for its calls in flight (and for loads in progress). Waits
     * uninterruptibly; the interrupt status is kept. Idempotent.
     *
     * @throws IllegalStateException if the calling thread holds a use of an instance, which it
     *         would wait for forever (every other instance is unloaded first; that one stays loaded)
     */
    @Override
    public void close() {
        closed = true; // volatile write before reading the map; pairs with loadFresh's re-check
        boolean interrupted = false;
        IllegalStateException left = null; // a thread that holds a use cannot unload it
        Set<K> wedged = new java.util.HashSet<>();
        try {
            for (;;) {
                boolean any = false;
                for (K key : KeyTable.<K>keys(table)) {
                    if (wedged.contains(key)) {
                        continue;
                    }
                    any = true;
                    try {
                        unload(key);
                    } catch (InterruptedException e) {
                        interrupted = true; // the unload gave the instance back; try it again
                    } catch (IllegalStateException e) {
                        wedged.add(key);
                        if (left == null) {
                            left = new IllegalStateException(
                                    "close() left " + noun + " " + key + " loaded: " + e.getMessage(), e);
                        } else {
                            left.addSuppressed(e);
                        }
                    }
                }
                if (!any) {
                    break;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (left != null) {
            throw left;
        }
    }

    private IllegalStateException closedFor(K key) {
        return new IllegalStateException("this " + owner + " is closed: refused to load " + noun + " " + key);
    }

    /** The factory's or init's failure as thrown to callers; a LoadException (PluginHost's own words) as it is. */
    private LoadException loadFailed(K key, Throwable t) {
        if (t instanceof LoadException) {
            return (LoadException) t;
        }
        if ("module".equals(noun)) {
            return new LoadException(key, t);
        }
        String m = t.getMessage();
        String reason = m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
        return new LoadException(noun + " " + key + ": loading failed (" + reason + ")", t);
    }

    // ---------------------------------------------------------------- attempt steps


    /**
     * Claims the unload of a handle read LIVE for a try form: the claim value this call owns, or
     * OPEN if none, not live, or another attempt owns it. A four-point attempt runs stop and start
     * (user code) between its claim and its end, so nobody may take it over: EXCLUSIVE.
     */
    private int claim(Handle<M> h) {
        if (h == null || h.uses.state() != UseCount.State.LIVE) { // LIVE is the ready mark; see the notes
            return UnloadClaim.OPEN;
        }
        if (style == Style.FOUR_POINT) {
            return h.claim.claimExclusive() ? UnloadClaim.EXCLUSIVE : UnloadClaim.OPEN;
        }
        return h.claim.tryClaim() ? UnloadClaim.TRYING : UnloadClaim.OPEN;
    }

    /**
     * Commits to the unload of key's instance, waiting for its load or for another committed
     * attempt's outcome, and taking a pending try over; null if there is nothing live to claim
     * (none, the load failed, or another attempt destroyed it).
     */
    private Handle<M> claimWaiting(K key, String operation) throws InterruptedException {
        Handle<M> h = handle(key);
        for (;;) {
            if (h == null) {
                return null;
            }
            if (!h.ready.isDone()) {
                try {
                    h.ready.get();
                } catch (ExecutionException failedLoad) {
                    return null; // removed by the load that failed
                }
            } else if (h.ready.isCompletedExceptionally()) {
                return null; // removed by the load that failed
            } else {
                if (holdsUse(h)) { // checked before claiming: nothing to give back
                    throw selfWait(key, operation);
                }
                if (h.claim.commitInterruptibly()) { // waits out an EXCLUSIVE try; takes a TRYING one over
                    return h;
                }
                h.claim.awaitAttempt(); // another committed attempt: its end (destroyed, or given back)
            }
            if (handle(key) != h) {
                return null; // destroyed (or replaced) by another attempt
            }
        }
    }

    /**
     * Whether the calling thread holds a use of {@code h}, as far as it can be told: in debug mode
     * the handle's own record of its holders; always, the owner's test (PluginHost: the thread is
     * inside a call of that plugin). Read on the blocking unload and reload paths only.
     */
    private boolean holdsUse(Handle<M> h) {
        if (h.heldByCurrentThread()) {
            return true;
        }
        M m = h.module; // racy read, benign: null once destroyed, and the test then says false
        return m != null && heldHere.test(m);
    }

    /** A blocking unload or reload by a thread that holds a use of the instance: it would wait for itself. */
    private IllegalStateException selfWait(K key, String operation) {
        return new IllegalStateException(noun + " " + key + ": " + operation + "(" + key + ") was called by a thread "
                + "that holds a use of " + noun + " " + key + " (" + ("plugin".equals(noun)
                ? "from inside a call to it" : "a Handle not yet released, or a call in progress")
                + "), so it would wait for itself forever. Nothing was changed: release the use first, call "
                + operation + " from another thread, or use the try form, which never waits for calls");
    }

    /**
     * Refuses new calls to a claimed instance and waits (per mode) for the calls in flight, under
     * the claim {@code owned}. IDLE: the count is DEAD and the claim sealed (four points: stopped;
     * three points: not yet stopped). GIVEN_BACK: busy, the instance is live as before. TAKEN_OVER:
     * a blocking unload took this try over and finishes it. A stray release found on the way is
     * the claim's business (UnloadClaim.misuseFound: a try form throws, a committed one repairs).
     */
    private UnloadClaim.Outcome awaitIdle(K key, Handle<M> h, int owned, Waits.Mode mode, long nanos,
                                          String operation) throws InterruptedException {
        UnloadClaim c = h.claim;
        if (mode == Waits.Mode.TRY && style == Style.THREE_POINT) {
            UnloadClaim.Outcome o = c.tryRetire(owned, operation); // all or nothing: a busy count is LIVE again
            return o == UnloadClaim.Outcome.IDLE && !c.seal(owned) ? UnloadClaim.Outcome.TAKEN_OVER : o;
        }
        c.refuse(owned, operation); // no new call from now on
        if (style == Style.FOUR_POINT) {
            stop(key, h);
        }
        boolean idle;
        try {
            idle = c.awaitRetired(mode, nanos);
        } catch (InterruptedException e) {
            UnloadClaim.Outcome o = takeBack(key, h, owned);
            if (o == UnloadClaim.Outcome.GIVEN_BACK) {
                throw e;
            }
            Thread.currentThread().interrupt(); // idle first, or taken over: the attempt stands
            return o;
        }
        if (idle) {
            return c.seal(owned) ? UnloadClaim.Outcome.IDLE : UnloadClaim.Outcome.TAKEN_OVER;
        }
        return takeBack(key, h, owned);
    }

    /**
     * The attempt lost the race while the count is GOING: take the instance back. Four points:
     * start again before the count lets a new call in, so calls never see a stopped module and
     * start happens-before them. IDLE if the count became DEAD in between: the attempt stands
     * after all (four points: stopped again).
     */
    private UnloadClaim.Outcome takeBack(K key, Handle<M> h, int owned) {
        UnloadClaim.Outcome o = h.claim.undo(owned, style == Style.FOUR_POINT ? () -> start(key, h) : null);
        if (o == UnloadClaim.Outcome.IDLE && style == Style.FOUR_POINT) {
            stop(key, h);
        }
        return o;
    }

    private void start(K key, Handle<M> h) {
        callPoint(key, "start", h, lifecycle::start);
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
            report(key, new IllegalStateException(point + " of " + noun + " " + key + " threw", t));
        }
    }

    /**
     * The count is DEAD: stop (three points), destroy, then remove the handle or replace it with
     * {@code next}, and let the waiting requests go on.
     */
    private M stopAndDestroy(K key, Handle<M> h, Handle<M> next) {
        if (style == Style.THREE_POINT) {
            stop(key, h);
        }
        M m = h.module;
        try {
            lifecycle.destroy(m);
        } catch (Throwable t) {
            report(key, t);
        } finally {
            h.module = null; // let the instance (and its class loader) be collected
            // The claim keeps h in place until here; then waiting requests retry: a fresh load, or wait for next
            h.claim.finish(UnloadClaim.COMMITTED, () -> replace(key, h, next));
        }
        return m;
    }

    /** The unload that destroyed {@code m} is over: the lifecycle's afterDestroy, on this thread. */
    private UnloadResult afterDestroy(K key, M m) {
        try {
            lifecycle.afterDestroy(m);
        } catch (Throwable t) {
            report(key, t);
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

    /**
     * Sets when an unload or reload that keeps waiting for calls in flight on an instance is
     * reported: once per wait, after {@code threshold}, through {@code reporter}. The report names
     * the key, the waiting thread and how long it has waited and, with
     * {@code -Ddev.raceless.refcount.debug=true}, every call still in flight with the thread and
     * stack that began it. Applies to instances loaded from now on. The default is 10 s (system
     * property {@value dev.raceless.internal.Stalls#PROPERTY}, milliseconds) and a WARNING through
     * the {@link System.Logger} {@code dev.raceless.loader}.
     *
     * @param threshold how long a wait may last before it is reported
     * @param unit the unit of {@code threshold}
     * @param reporter receives each report, on the waiting thread; it should not block
     * @throws IllegalArgumentException if {@code threshold} is not positive
     */
    public void reportStalls(long threshold, TimeUnit unit, Consumer<String> reporter) {
        stalls = Stalls.of(threshold, unit, reporter, "dev.raceless.loader");
    }

    /** The handle of {@code key}, or null: one volatile load and a probe (see KeyTable). */
    private Handle<M> handle(Object key) {
        return KeyTable.get(table, key);
    }

    /** The handle of the entry at {@code i} of {@code t}, whose second value is that handle's {@code uses}. */
    @SuppressWarnings("unchecked")
    private static <M> Handle<M> handleAt(Object[] t, int i) {
        return (Handle<M>) t[i + KeyTable.FIRST];
    }

    /** {@code t} with {@code h} (and beside it its count, which the hot path reads first) as {@code key}'s entry. */
    private static Object[] with(Object[] t, Object key, Handle<?> h) {
        return KeyTable.with(t, key, h, h.uses);
    }

    /** Puts {@code h} unless {@code key} has a handle; returns whether it did. */
    private boolean putIfAbsent(K key, Handle<M> h) {
        synchronized (tableLock) {
            if (handle(key) != null) {
                return false;
            }
            table = with(table, key, h);
            return true;
        }
    }

    /** If {@code key}'s handle is {@code expected}: replaces it with {@code next}, or removes it if null. */
    private void replace(K key, Handle<M> expected, Handle<M> next) {
        synchronized (tableLock) {
            if (handle(key) == expected) {
                table = next == null ? KeyTable.without(table, key) : with(table, key, next);
            }
        }
    }

    /** A fresh handle (DEAD until its init returned) whose waits report stalls naming the key. */
    private Handle<M> newHandle(K key) {
        Handle<M> h = new Handle<>(key, noun);
        Stalls s = stalls.prefixed("unload of " + key + ": ");
        h.uses.reportStalls(s.nanos(), TimeUnit.NANOSECONDS, s.reporter());
        return h;
    }

    @Override
    public String toString() {
        return "ModuleLoader[" + style + ", loaded " + KeyTable.keys(table) + (closed ? ", closed" : "") + "]";
    }
}
