package dev.raceless.loader;

import dev.raceless.grace.QuiescentDomain;
import dev.raceless.refcount.UseCount;

import java.util.Objects;
import java.util.function.Function;

/**
 * A caller's standing reference to one key of a {@link ModuleLoader}: made once with
 * {@link ModuleLoader#bind(Object)} and kept (a field of a router, a servlet, a handler), it
 * reaches the key's current instance without looking the key up.
 *
 * <p><b>The rule.</b> A binding hands out exactly what {@link ModuleLoader#acquire(Object)} of its
 * key would: the live instance, never one whose unload or reload has begun. After a reload the next
 * {@link #acquire()} gets the fresh instance, never the old one; while the key is unloading or
 * reloading, {@code acquire()} waits as {@code acquire(key)} does and {@link #tryAcquire()} fails;
 * after an unload {@code acquire()} loads the key again.
 *
 * <p><b>Hot path.</b> One volatile read of the count of the instance this binding last reached,
 * that instance's use pair ({@code UseCount.tryAcquire()} / {@code release()}) and one read of its
 * handle: no hash, no key compare, no allocation. Only the first call after a load, an unload or
 * a reload takes the slow path, which is {@code acquire(key)} itself.
 *
 * <p><b>Reachability.</b> A binding refers to its loader, its key and the last instance's
 * {@link ModuleLoader.Handle}; a handle drops its module reference when the instance is destroyed,
 * so a binding kept after an unload does not keep the module (nor, in a {@link PluginHost}, the
 * plugin's class loader) reachable.
 *
 * <p><b>Threads.</b> A binding may be shared by any number of threads.
 *
 * <p><b>Memory consistency effects.</b> As {@link ModuleLoader#acquire(Object)}: actions in the
 * instance's {@code init} happen-before every call through a handle it returns, and every call
 * happens-before the instance's {@code destroy}.
 *
 * <p><b>Sample usage.</b>
 * <pre> {@code
 * final Binding<Codec> zstd = codecs.bind("zstd");   // once
 * ...
 * int n = zstd.call(c -> c.decode(in, out));           // per request
 * }</pre>
 *
 * @param <M> the module type
 */
public final class Binding<M> {
    /*
     * Implementation notes.
     *
     * The binding caches the last Handle it reached in `current`. Why a cached handle is enough to
     * follow reloads and unloads without a lookup: a handle's count is LIVE only between its
     * instance's init returning and the start of that instance's unload or reload (ModuleLoader,
     * invariant 2), and all that time the handle is its key's entry in the key table; a destroyed
     * instance's handle is never reopened (a fresh instance gets a fresh handle). So a successful
     * tryAcquire on the cached handle is a successful tryAcquire on the key's current entry, the
     * very step acquire(key) takes after its lookup: same linearization point, same guarantees.
     * A failed one means the cached instance is unloading, reloading or gone, and the slow path
     * is acquire(key) / tryAcquire(key), whose result becomes the cached handle. A reload whose
     * factory failed gives the old handle back (reopened): the cached handle is then current again.
     *
     * Rejected: a per-key slot object kept in the key table whose volatile field points at the
     * current entry. It costs one more dependent load per call (slot, then entry, then count), and
     * the slot must outlive unloads (or the binding must find it again after one), so the table
     * would keep every key ever loaded; the cached handle needs neither.
     *
     * The hot path reads the cached handle's count from its own field, `uses`, and reads `current`
     * only after the count's tryAcquire has succeeded: the chain of dependent loads before the
     * count's slot store is then binding, count, as for a count kept in a field, instead of
     * binding, handle, count. The two fields are written together on the slow path (`current`,
     * then `uses`) but read apart, so a caller may see one handle's count and another handle: it
     * returns the handle only if `current.uses` is the count it acquired, and otherwise releases
     * that use and takes the slow path. So what it returns is always a handle whose own count it
     * acquired, as above.
     *
     * `current` and `uses` are written only on the slow path, by any thread that took it; two
     * threads racing there may leave an older handle cached, or the fields of two handles (benign:
     * the next call finds the count not LIVE, or the handle not its count's, and takes the slow
     * path again). Handles are safely published (their count is a final field), and the module is
     * read only after a successful tryAcquire (see ModuleLoader's notes on publication). A count
     * refers to nothing of its module, so caching it keeps no module reachable.
     *
     * Quiescent mode (call(reader, fn); QuiescentCalls; the rule and proof sketch in docs/loader.md,
     * "Quiescent mode"): `domain` is the loader's, final, so the fast path reads the Reader's
     * domain and owner, `current`, its count's state word (volatile; the module read after it is
     * published by reopen's write of LIVE) and the module. No use, no store. The counted path of
     * an online reader never waits online (acquireFor): the destroy it would wait for waits for
     * this thread's grace period.
     *
     * The initial value is UNBOUND, a handle whose count is DEAD forever: the first call takes the
     * slow path. Its tryAcquire fails and backs out, leaving it DEAD.
     */

    private static final ModuleLoader.Handle<Object> UNBOUND = new ModuleLoader.Handle<>("(unbound)");

    private final ModuleLoader<Object, M> loader;
    private final Object key;
    /** The loader's QuiescentDomain (quiescent mode), or null. */
    private final QuiescentDomain domain;
    /** The handle this binding last reached; see the notes. */
    private volatile ModuleLoader.Handle<M> current;
    /** The count of a handle this binding reached, read first by the hot path; see the notes. */
    private volatile UseCount uses;

    @SuppressWarnings("unchecked")
    <K> Binding(ModuleLoader<K, M> loader, K key) {
        this.loader = (ModuleLoader<Object, M>) loader;
        this.key = Objects.requireNonNull(key, "key");
        this.domain = loader.domain;
        keep((ModuleLoader.Handle<M>) (ModuleLoader.Handle<?>) UNBOUND);
    }

    /** Caches h (slow path only): the handle, then its count. */
    private void keep(ModuleLoader.Handle<M> h) {
        current = h;
        uses = h.uses;
    }

    /**
     * The key's live instance with a use taken, or {@code null} if none is live now (not loaded,
     * loading, unloading or reloading). Never loads, never blocks: as
     * {@link ModuleLoader#tryAcquire(Object)}.
     *
     * @return the handle of the live instance with a use held for the caller, or {@code null}
     */
    public ModuleLoader.Handle<M> tryAcquire() {
        ModuleLoader.Handle<M> h = acquireCurrent();
        return h != null ? h : tryAcquireSlow();
    }

    /** The hot path of both acquires: a use of the kept handle, or null if it is not live. */
    private ModuleLoader.Handle<M> acquireCurrent() {
        UseCount c = uses;
        if (c.tryAcquire()) {
            ModuleLoader.Handle<M> h = current;
            if (h.uses == c) {
                h.taken();
                return h;
            }
            c.release(); // the fields of two handles: see the notes
        }
        return null;
    }

    private ModuleLoader.Handle<M> tryAcquireSlow() {
        ModuleLoader.Handle<M> h = loader.tryAcquire(key);
        if (h != null) {
            keep(h);
        }
        return h;
    }

    /**
     * The key's live instance with a use taken; loads it first if needed, waits for an unload or
     * reload in progress: as {@link ModuleLoader#acquire(Object)}. The caller must
     * {@link ModuleLoader.Handle#release()}.
     *
     * @return the handle of the live instance, with a use held for the caller
     * @throws LoadException if the factory or {@code init} threw
     * @throws IllegalStateException if the key is not live and the loader is closed
     */
    public ModuleLoader.Handle<M> acquire() {
        ModuleLoader.Handle<M> h = acquireCurrent();
        return h != null ? h : acquireSlow();
    }

    private ModuleLoader.Handle<M> acquireSlow() {
        ModuleLoader.Handle<M> h = loader.acquire(key);
        keep(h);
        return h;
    }

    /**
     * Applies {@code fn} to the key's live instance inside one use of it: {@link #acquire()},
     * {@code fn}, release (also when {@code fn} throws).
     *
     * @param <R> the type of the result
     * @param fn the function to apply to the module
     * @return what {@code fn} returned
     * @throws LoadException if the module cannot be loaded
     * @throws IllegalStateException if the key is not live and the loader is closed
     */
    public <R> R call(Function<? super M, ? extends R> fn) {
        Objects.requireNonNull(fn, "fn");
        ModuleLoader.Handle<M> h = acquire();
        try {
            return fn.apply(h.module);
        } finally {
            h.release();
        }
    }

    /**
     * Applies {@code fn} to the key's live instance, with no use count if the caller is an online
     * reader of the loader's {@link QuiescentDomain} (quiescent mode, see
     * {@link ModuleLoader#ModuleLoader(Function, Lifecycle, ModuleLoader.Style, java.util.function.BiConsumer,
     * QuiescentDomain)}); otherwise exactly {@link #call(Function)}.
     *
     * <p><b>Uncounted calls.</b> When {@code reader} belongs to the loader's domain and the
     * calling thread is its online thread, and the instance this binding last reached is live,
     * {@code fn} runs on it with no use taken: one volatile read of the instance's count state,
     * no store. The domain's grace period protects it instead: every destroy of the loader waits
     * for {@code synchronize()} after the instance stopped taking calls, and that waits for the
     * caller's next quiescent state. In every other case (a loader not in quiescent mode, a
     * reader of another domain, an offline or unregistered reader, an instance not live) the call
     * is counted, as {@link #call(Function)}, with one difference: an online reader of the domain
     * never waits online. If the instance is not live it goes offline for the acquire (which may
     * load the key on this thread, or wait for a load, an unload or a reload) and back online
     * after it, as {@link QuiescentDomain#synchronize()} does: such a call is a quiescent state of
     * the caller, which must hold no reference read from the domain across it. A wait online would
     * hold the grace period that the unload's destroy waits for: a deadlock.
     *
     * <p><b>What {@code fn} may not do</b> in an uncounted call: report a quiescent state, go
     * offline or synchronize the domain (the instance may then be destroyed under it); keep the
     * module past its return (take a {@link #acquire()} use inside it and hand that over). An
     * {@code unload} or {@code reload} of this loader from inside it throws
     * {@link IllegalStateException}, as from inside a counted call; a {@code tryUnload} or
     * {@code tryReload} from inside it leaves the instance undestroyed and reports why to the
     * loader's failure handler.
     *
     * <p><b>Memory consistency effects.</b> As {@link #call(Function)}: actions in {@code init}
     * happen-before {@code fn}, and {@code fn} happens-before the instance's {@code destroy}
     * (jcstress {@code QuiescentCallVsUnload}).
     *
     * @param <R> the type of the result
     * @param reader the calling thread's registration with the loader's domain
     * @param fn the function to apply to the module
     * @return what {@code fn} returned
     * @throws IllegalStateException if {@code reader} is another thread's online Reader of the
     *         loader's domain (a Reader is confined to its thread); if the instance is not live and
     *         the caller is inside an uncounted call, which can neither wait online nor go offline;
     *         otherwise as {@link #call(Function)}
     * @throws LoadException if the module cannot be loaded
     */
    public <R> R call(QuiescentDomain.Reader reader, Function<? super M, ? extends R> fn) {
        M m = uncounted(reader);
        return m != null ? QuiescentCalls.uncountedCall(fn, m) : countedCall(reader, fn);
    }

    /** Whether {@code reader} is the calling thread's online Reader of the loader's domain (null if not quiescent). */
    private boolean onlineHere(QuiescentDomain.Reader reader) {
        return reader.domain() == domain && reader.isOnlineInCurrentThread();
    }

    /** Not an uncounted call: a counted one, through {@link #acquireFor}. */
    private <R> R countedCall(QuiescentDomain.Reader reader, Function<? super M, ? extends R> fn) {
        Objects.requireNonNull(fn, "fn");
        ModuleLoader.Handle<M> h = acquireFor(reader);
        try {
            return fn.apply(h.module);
        } finally {
            h.release();
        }
    }

    /**
     * The counted path of {@code call(reader, fn)}: {@link #acquire()}, except that an online
     * reader of the loader's domain never waits online. A wait for a load by another thread, an
     * unload or a reload would hold every grace period of the domain, and that unload's or
     * reload's destroy waits for one: a deadlock (jcstress QuiescentCallVsUnload finds it). So
     * such a reader tries without waiting first, and else goes offline for the acquire and back
     * online after it, as QuiescentDomain.synchronize() does; inside an uncounted call it cannot
     * go offline (a quiescent state in the middle of that call) and throws instead.
     */
    ModuleLoader.Handle<M> acquireFor(QuiescentDomain.Reader reader) {
        checkConfined(reader);
        if (!onlineHere(reader)) {
            return acquire(); // its waits hold no grace period of this loader's domain
        }
        ModuleLoader.Handle<M> h = tryAcquire();
        if (h != null) {
            return h;
        }
        if (QuiescentCalls.uncountedCallOnStack()) { // the reader is this thread's and online: ask the stack
            throw new IllegalStateException("call(reader, fn) to key " + key + " from inside an "
                    + "uncounted call of " + domain + ": " + key + " is not live (loading, unloading or reloading), "
                    + "and waiting for it online could wait for a grace period that waits for this thread, while "
                    + "going offline would end the outer call's protection. Call it outside the uncounted call");
        }
        reader.offline(); // a quiescent state of the caller, as QuiescentDomain.synchronize() on an online reader
        try {
            return acquire();
        } finally {
            reader.online();
        }
    }

    /** Throws if {@code reader} is another thread's online Reader of the loader's domain. */
    void checkConfined(QuiescentDomain.Reader reader) {
        if (reader.domain() == domain && !reader.isOnlineInCurrentThread() && reader.isOnline()) {
            throw new IllegalStateException("call(reader, fn) with " + reader + " on thread \""
                    + Thread.currentThread().getName() + "\": a Reader is confined to the thread that registered; "
                    + "pass the calling thread's own (QuiescentDomain.reader()), or call(fn)");
        }
    }

    /**
     * The module this binding's last instance holds if the uncounted path applies (see
     * {@link #call(QuiescentDomain.Reader, Function)}), else null: PluginBinding's fast path.
     */
    M uncounted(QuiescentDomain.Reader reader) {
        if (onlineHere(reader)) {
            ModuleLoader.Handle<M> h = current;
            if (h.uses.isLive()) { // volatile read, then the module: published before LIVE (reopen); never null then
                return h.module;
            }
        }
        return null;
    }

    /** {@return the key this binding reaches} */
    public Object key() {
        return key;
    }

    /** {@return the loader this binding belongs to} */
    public ModuleLoader<?, M> loader() {
        return loader;
    }

    @Override
    public String toString() {
        return "Binding[" + key + " of " + loader + "]";
    }
}
