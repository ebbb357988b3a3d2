package dev.raceless.loader;

import dev.raceless.grace.QuiescentDomain;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Function;

/**
 * Quiescent mode of a {@link ModuleLoader}: calls by the online readers of a
 * {@link QuiescentDomain} that take no use count, the lifecycle that waits for a grace period
 * before every destroy, and the test for a thread inside such a call.
 */
final class QuiescentCalls {
    /*
     * Implementation notes.
     *
     * The rule and its proof sketch are in docs/loader.md, "Quiescent mode" (jcstress
     * QuiescentCallVsUnload and its broken twin). Here:
     *
     *   1. An uncounted call applies fn inside uncountedCall (Binding's or PluginHost's); that
     *      frame is how inUncountedCall tells a thread inside one. The call path pays nothing for
     *      it: the stack walk runs on unload paths only.
     *   2. Synchronizing.destroy runs domain.synchronize() before the lifecycle's destroy. Every
     *      destroy of a ModuleLoader runs after the instance's count left LIVE for good (unload,
     *      tryUnload, reload, close), or on an instance that never was LIVE (a start that threw
     *      in its load); an uncounted call reads LIVE before it reads the module.
     *   3. A synchronize() on an online reader takes it offline for the wait: a quiescent state
     *      in the middle of its uncounted call. So a destroy on a thread inside an uncounted call
     *      of the domain is refused: the blocking unload and reload paths ask inUncountedCall
     *      through the loader's self-wait test before anything changes (IllegalStateException);
     *      a destroy reached all the same (tryUnload, tryReload) leaves the instance undestroyed
     *      (reported to the failure handler as an IllegalStateException, and its afterDestroy
     *      skipped): a leak, never a destroy under a call.
     *
     * Rejected: a ThreadLocal depth counter kept by every uncounted call (a lookup per call, the
     * very cost the Reader argument avoids); a Reader field for it (public API on Reader for the
     * loader's sake); callAfterGrace for a destroy on such a thread (the next instance's init
     * would then run before the old destroy, against ModuleLoader's invariant 1).
     */

    private QuiescentCalls() {
    }

    /** The frame marker of an uncounted call: {@code fn} applied to {@code module}. */
    static <M, R> R uncountedCall(Function<? super M, ? extends R> fn, M module) {
        return fn.apply(module);
    }

    /**
     * The calling thread's Reader of {@code domain} if it is online in it, else null (also for a
     * null domain: a loader not in quiescent mode). A thread-local lookup, for wait and unload
     * paths; a caller handed a Reader asks that Reader instead (Binding).
     */
    static QuiescentDomain.Reader onlineReader(QuiescentDomain domain) {
        QuiescentDomain.Reader r = domain == null ? null : domain.reader();
        return r != null && r.isOnlineInCurrentThread() ? r : null;
    }

    /**
     * Whether the calling thread is online in {@code domain} and inside an uncounted call (of any
     * loader: the frame does not say which domain, so a call of another domain's loader is
     * counted too, which only refuses more). Unload paths only: a stack walk.
     */
    static boolean inUncountedCall(QuiescentDomain domain) {
        // not online in domain: synchronize() does not take such a thread offline, its calls stay protected
        return onlineReader(domain) != null && uncountedCallOnStack();
    }

    /**
     * Whether an uncounted call's frame is on the calling thread's stack, for a caller that knows
     * it is online in the domain (see {@link #inUncountedCall}). A stack walk.
     */
    static boolean uncountedCallOnStack() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(
                f -> f.getMethodName().equals("uncountedCall") && f.getClassName().startsWith(PACKAGE)));
    }

    private static final String PACKAGE = QuiescentCalls.class.getPackageName() + ".";

    /** A thread inside an uncounted call asked to destroy: what it is told (see note 3). */
    static IllegalStateException destroyInsideCall(Object module, QuiescentDomain domain) {
        return new IllegalStateException("destroy of " + module + " was reached on thread \""
                + Thread.currentThread().getName() + "\", which is inside an uncounted call of " + domain
                + ": the grace period before the destroy would be a quiescent state of that call. The instance "
                + "was left undestroyed (unloaded, not freed): unload from outside the call, or with unload() or "
                + "reload(), which refuse such a caller before changing anything");
    }

    /**
     * The lifecycle of a loader in quiescent mode: as the user's, with a grace period of the
     * domain before every destroy (note 2), and a destroy refused inside an uncounted call (note 3).
     *
     * @param <M> the module type
     */
    static final class Synchronizing<M> implements Lifecycle<M> {
        private final Lifecycle<? super M> lifecycle;
        private final QuiescentDomain domain;
        /** Instances whose destroy was refused (note 3): their afterDestroy is skipped. */
        private final Set<Object> refused = Collections.synchronizedSet(Collections.newSetFromMap(
                new IdentityHashMap<>()));

        Synchronizing(Lifecycle<? super M> lifecycle, QuiescentDomain domain) {
            this.lifecycle = lifecycle;
            this.domain = domain;
        }

        @Override
        public void init(M module) throws Exception {
            lifecycle.init(module);
        }

        @Override
        public void start(M module) {
            lifecycle.start(module);
        }

        @Override
        public void stop(M module) {
            lifecycle.stop(module);
        }

        @Override
        public void destroy(M module) throws Exception {
            if (inUncountedCall(domain)) {
                refused.add(module);
                throw destroyInsideCall(module, domain);
            }
            // The count left LIVE before this point: an uncounted call that read LIVE ends before
            // its thread's next quiescent state, which this waits for (docs/loader.md)
            domain.synchronize();
            lifecycle.destroy(module);
        }

        @Override
        public void afterDestroy(M module) throws Exception {
            if (refused.remove(module)) {
                return;
            }
            lifecycle.afterDestroy(module);
        }

        @Override
        public String toString() {
            return "QuiescentCalls.Synchronizing[" + lifecycle + ", " + domain + "]";
        }
    }
}
