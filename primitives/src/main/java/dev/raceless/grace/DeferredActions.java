package dev.raceless.grace;

import dev.raceless.internal.VarHandles;
import dev.raceless.internal.jfr.ActionFailedEvent;
import dev.raceless.refcount.UseCount;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The deferred actions of a {@link GraceDomain} or a {@link QuiescentDomain}: a FIFO queue and a
 * daemon thread, started on first use, that takes every action queued so far, waits for one grace
 * period, and runs them in order ({@code call_rcu}); {@code barrier} and {@code close} on top. The
 * thread ends when the domain is closed, and also when the domain becomes unreachable without
 * {@code close()} (a {@link Cleaner}), so a dropped domain never leaves a thread behind.
 */
final class DeferredActions {
    /*
     * Implementation notes.
     *
     * Reachability: the worker thread references this object, never the domain: it holds the
     * domain through a WeakReference and takes a strong reference only inside runGracePeriod(), a
     * frame of its own, so a parked worker keeps nothing alive (an interpreted frame keeps its
     * locals). The domain holds this object strongly. When the domain becomes unreachable the
     * library's Cleaner calls orphaned(), which wakes the worker; it runs what is queued and ends.
     * Running those actions without a grace period is safe: every section of the domain ends with
     * exit() on the domain, so a thread still inside one would keep the domain reachable; an
     * unreachable domain has no section that can still end, and none can begin. (QuiescentDomain:
     * a read section ends only through a call on the thread's Reader, which holds its domain.)
     *
     * The domain is reached only through `gracePeriod`, a non-capturing function applied to the
     * referent of the weak reference, so the same class serves both kinds of domain.
     *
     * Gate: callAfterGrace and barrier hold a use of `gate` while they enqueue, so close() can
     * refuse new actions and then know no enqueue is still in flight (shutdown, then termination).
     *
     * Park protocol: the worker publishes workerParked, then rechecks the queue; an enqueuer
     * offers (a CAS), then reads workerParked: one of them sees the other (both are sequentially
     * consistent), so no action waits for a wake-up that never comes.
     *
     * Rejected: one shared action thread for every domain. It costs one thread in all instead of
     * one per domain with actions, but a slow or blocking action of one domain (closing a class
     * loader on a slow disk) would delay every other domain's actions, and barrier() of one domain
     * would wait for all of them; the thread name would no longer say whose actions run. One
     * thread per domain, started lazily and ended by close() or the Cleaner, keeps them apart.
     */

    /** One Cleaner (one daemon thread) for the whole library, created on first need. */
    private static final class Holder {
        static final Cleaner CLEANER = Cleaner.create();
    }

    private final String name;
    private final BiConsumer<? super Runnable, ? super Throwable> errorHandler;
    private final WeakReference<Object> domain;
    /** Runs one grace period of the domain it is given; captures nothing (see the notes). */
    private final Consumer<Object> gracePeriod;
    /** The domain's class name, for messages. */
    private final String kind;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final UseCount gate = new UseCount(2);
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile Thread worker;
    private volatile boolean workerParked;
    private volatile boolean closing;
    private volatile boolean orphaned;

    DeferredActions(GraceDomain domain, String name, BiConsumer<? super Runnable, ? super Throwable> errorHandler) {
        this(domain, d -> ((GraceDomain) d).awaitGracePeriod(), "GraceDomain", name, errorHandler);
    }

    /**
     * Actions of any domain: {@code gracePeriod} runs one grace period of the domain it is passed
     * and must not capture the domain (it would keep a dropped domain reachable).
     */
    DeferredActions(Object domain, Consumer<Object> gracePeriod, String kind, String name,
                    BiConsumer<? super Runnable, ? super Throwable> errorHandler) {
        this.domain = new WeakReference<>(domain);
        this.gracePeriod = gracePeriod;
        this.kind = kind;
        this.name = Objects.requireNonNull(name, "name");
        this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
    }

    /** Queues an action; starts the worker on first use. */
    void add(Runnable action) {
        if (!gate.tryAcquire()) {
            throw new IllegalStateException("callAfterGrace() on a closed " + kind + " (" + name + "): "
                    + "close() refuses new actions");
        }
        try {
            queue.offer(action); // a CAS: sequentially consistent with the worker's park protocol
            wake();
        } finally {
            gate.release();
        }
    }

    /** Waits until every action queued before this call has run. */
    void barrier() {
        if (isWorker()) {
            throw new IllegalStateException("barrier() from a deferred action of the same " + kind + " ("
                    + name + ") would wait for itself");
        }
        if (!gate.tryAcquire()) { // closing: close() runs everything queued; wait for that
            done.join();
            return;
        }
        CompletableFuture<Void> marker = new CompletableFuture<>();
        try {
            queue.offer(() -> marker.complete(null));
            wake();
        } finally {
            gate.release();
        }
        marker.join(); // parks; the queue is FIFO, so all earlier actions have run
    }

    /** Refuses new actions, runs the queued ones and stops the worker. Idempotent. */
    void close() {
        closing = true; // before the gate: the worker's exit test reads it after draining
        gate.shutdown();
        gate.termination().join(); // no add() is still enqueueing
        Thread w = worker;
        if (w == null) { // never started, and with the gate dead it never will: no actions
            done.complete(null);
            return;
        }
        LockSupport.unpark(w);
        if (w != Thread.currentThread()) {
            done.join();
        }
    }

    boolean isWorker() {
        return Thread.currentThread() == worker;
    }

    boolean isClosing() {
        return closing;
    }

    /** The worker thread, or null if none was started (for tests and stall reports). */
    Thread worker() {
        return worker;
    }

    /** Called by the Cleaner once the domain is unreachable; must not touch the domain. */
    private void orphaned() {
        orphaned = true;
        LockSupport.unpark(worker);
    }

    private void wake() {
        Thread w = worker;
        if (w == null) {
            startWorker();
        } else if (workerParked) {
            LockSupport.unpark(w);
        }
    }

    private void startWorker() {
        Thread t = new Thread(this::run, "raceless-" + name + "-actions");
        t.setDaemon(true);
        // Not the caller's context class loader: that may be a plugin's, which this long-lived
        // thread would then keep from being collected.
        t.setContextClassLoader(DeferredActions.class.getClassLoader());
        if (WORKER.compareAndSet(this, null, t)) {
            Object d = domain.get();
            if (d != null) {
                Holder.CLEANER.register(d, this::orphaned); // a method reference to this, not to d
            }
            try {
                t.start();
            } catch (Throwable e) { // e.g. no native thread: let a later call try again
                worker = null;
                throw e;
            }
        }
    }

    private void run() {
        ArrayList<Runnable> batch = new ArrayList<>();
        try {
            for (;;) {
                Runnable a;
                while ((a = queue.poll()) != null) {
                    batch.add(a);
                }
                if (batch.isEmpty()) {
                    if (finished()) {
                        return;
                    }
                    workerParked = true; // publish, then recheck: pairs with add()'s offer-then-read
                    if (queue.isEmpty() && !finished()) {
                        LockSupport.park(this);
                    }
                    workerParked = false;
                    continue;
                }
                try {
                    runGracePeriod(); // every action in the batch was queued before this call
                } catch (IllegalStateException misuse) { // a double exit(): keep the batch, retry
                    report(batch.get(0), misuse);
                    LockSupport.parkNanos(this, 10_000_000L);
                    continue;
                }
                for (Runnable r : batch) {
                    try {
                        r.run();
                    } catch (Throwable e) {
                        report(r, e);
                    }
                }
                batch.clear();
                // An action (or synchronize(), restoring one) may leave the interrupt status set;
                // park() would then return at once, forever. The action thread owns no interrupt.
                Thread.interrupted();
            }
        } finally {
            done.complete(null);
        }
    }

    /** Closed and drained, or the domain is gone and the queue is empty. */
    private boolean finished() {
        if (!queue.isEmpty()) {
            return false;
        }
        return (closing && gate.state() == UseCount.State.DEAD) || orphaned || domain.get() == null;
    }

    /** One grace period of the domain; nothing if it is unreachable (see the notes). Own frame on purpose. */
    private void runGracePeriod() {
        Object d = domain.get();
        if (d != null) {
            gracePeriod.accept(d);
        }
    }

    void report(Runnable action, Throwable failure) {
        ActionFailedEvent event = new ActionFailedEvent();
        if (event.shouldCommit()) {
            event.domain = name;
            event.action = String.valueOf(action);
            event.failure = String.valueOf(failure);
            event.commit();
        }
        try {
            errorHandler.accept(action, failure);
        } catch (Throwable handlerFailure) {
            failure.addSuppressed(handlerFailure);
            try {
                GraceDomain.logActionFailure(action, failure);
            } catch (Throwable ignored) { // nowhere left to report; the queue must go on
            }
        }
    }

    // VarHandle mechanics
    private static final VarHandle WORKER = VarHandles.field(MethodHandles.lookup(), "worker", Thread.class);
}
