package dev.raceless.registry;

import dev.raceless.refcount.UseCount;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A service registered in a {@link Registry}, and the module's handle to take it back.
 *
 * <p><b>The rule</b> (Werner Almesberger, 2002): a deregistration "either does nothing, and returns
 * failure, or it returns success, and completely de-registers everything". A {@code DEREGISTERED}
 * result means no call into the service is running and none can start; {@code BUSY} means nothing
 * changed.
 *
 * <p><b>Variants.</b>
 * <ul>
 * <li>{@link #tryDeregister()} never blocks: {@code DEREGISTERED}, or {@code BUSY} if a call was in
 *     flight. Calls racing with it may find the service briefly absent, and a call that raced and
 *     backed out may make it report {@code BUSY} spuriously.
 * <li>{@link #tryDeregister(long, TimeUnit)} refuses new calls, waits up to the timeout for the calls
 *     in flight, and if they have not finished, takes the service back into use and reports
 *     {@code BUSY}. While it waits the service is absent for new calls.
 * <li>{@link #deregister()} refuses new calls at once and returns after the calls in flight finish.
 * <li>{@link #deregisterAsync()} refuses new calls at once; its future completes when the last call
 *     in flight ends (on the thread that ended it).
 * </ul>
 * Deregistering twice, or while another deregistration is committed, reports
 * {@link DeregisterResult#ALREADY_DEREGISTERED} and changes nothing. A blocking or asynchronous
 * deregistration that meets a timed one in progress takes it over: the timed one then reports
 * {@code ALREADY_DEREGISTERED} instead of rolling back.
 *
 * <p><b>Memory consistency effects.</b> Actions in a call (between a successful
 * {@link #tryAcquire()} and its {@link #release()}) happen-before a deregistration of this
 * registration reports {@code DEREGISTERED} (jcstress {@code CallVsTryDeregister}).
 *
 * @param <T> the service type
 */
public final class Registration<T> {
    /*
     * Implementation notes.
     *
     * The guard is a UseCount: a call is a use. Who owns the deregistration is a small claim word:
     *
     *   REGISTERED    0  nobody is deregistering
     *   TRYING        1  a tryDeregister (timed or not) owns it and may roll back
     *   ROLLING_BACK  2  the TRYING owner is undoing its shutdown; lasts a few instructions
     *   COMMITTED     3  a blocking or async deregistration owns it; cannot roll back
     *   DEREGISTERED  4  removed from the registry
     *
     *   0 -> 1 (try) -> 0 (busy; via 2 for the timed variant) | 4 (done)
     *   0 -> 3 (blocking/async) -> 4;  1 -> 3 (a blocking call takes a try over)
     *
     * Invariants:
     *   1. Only the claim owner moves the UseCount to GOING or back; it does so only between
     *      claiming and releasing the claim.
     *   2. A timed owner cancels its shutdown only after CASing TRYING -> ROLLING_BACK, so a
     *      blocking caller can never be left waiting on a count that went LIVE again: it either took
     *      over first (the CAS fails, no rollback) or waits out ROLLING_BACK and starts afresh.
     *   3. DEREGISTERED is set by exactly one thread (CAS), after the count is DEAD; that thread
     *      removes the registration from the registry and completes {@code removed}.
     */

    private static final int REGISTERED = 0;
    private static final int TRYING = 1;
    private static final int ROLLING_BACK = 2;
    private static final int COMMITTED = 3;
    private static final int DEREGISTERED = 4;

    private final Registry<T> registry;
    private final T service;
    private final UseCount uses = new UseCount();
    private final CompletableFuture<Void> removed = new CompletableFuture<>();
    private volatile int claim;

    Registration(Registry<T> registry, T service) {
        this.registry = registry;
        this.service = service;
    }

    /** The registered service. */
    public T service() {
        return service;
    }

    /** The registry this registration belongs to. */
    public Registry<T> registry() {
        return registry;
    }

    /**
     * Takes a use for one call into the service, unless it is being deregistered. Never blocks.
     *
     * @return {@code true} if the caller may call the service and must then {@link #release()}
     */
    public boolean tryAcquire() {
        return uses.tryAcquire();
    }

    /**
     * Ends a call begun with a successful {@link #tryAcquire()}.
     *
     * @throws IllegalStateException if no call is in progress (a release without an acquire)
     */
    public void release() {
        uses.release();
    }

    /** Whether the registration is still registered and not being deregistered. */
    public boolean isRegistered() {
        return claim == REGISTERED && uses.state() == UseCount.State.LIVE;
    }

    /** Whether a deregistration has completed: the service will never be called again. */
    public boolean isDeregistered() {
        return claim == DEREGISTERED;
    }

    // ---------------------------------------------------------------- the variants

    /**
     * Deregisters if no call is in flight; never blocks. All or nothing: {@code DEREGISTERED}, or
     * {@code BUSY} with the registration exactly as before.
     */
    public DeregisterResult tryDeregister() {
        if (!CLAIM.compareAndSet(this, REGISTERED, TRYING)) {
            return refused();
        }
        boolean idle;
        try {
            idle = uses.tryShutdown();
        } catch (IllegalStateException misuse) { // a count made negative by a stray release()
            CLAIM.compareAndSet(this, TRYING, REGISTERED);
            throw misuse;
        }
        if (idle) {
            return complete();
        }
        // Busy. Our tryShutdown left the count LIVE, unless a blocking call took over (claim is
        // COMMITTED and its shutdown() made the count GOING): then it is theirs to finish.
        return CLAIM.compareAndSet(this, TRYING, REGISTERED) ? DeregisterResult.BUSY
                : DeregisterResult.ALREADY_DEREGISTERED;
    }

    /**
     * Refuses new calls, and waits at most {@code timeout} for the calls in flight to finish. If
     * they do, deregisters; if not, takes the service back into use and reports {@code BUSY}.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws InterruptedException if interrupted while waiting (the registration is then
     *         restored as on a timeout, unless it became idle first)
     */
    public DeregisterResult tryDeregister(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout + " " + unit);
        }
        if (!CLAIM.compareAndSet(this, REGISTERED, TRYING)) {
            return refused();
        }
        shutdownOrUnclaim(TRYING);
        boolean idle;
        try {
            idle = uses.awaitTermination(timeout, unit);
        } catch (InterruptedException e) {
            DeregisterResult r = rollBack();
            if (r == DeregisterResult.BUSY) {
                throw e; // restored as on a timeout
            }
            Thread.currentThread().interrupt(); // finished, or taken over: report that, keep the status
            return r;
        }
        return idle ? complete() : rollBack();
    }

    /**
     * Refuses new calls at once and returns after the calls in flight have finished. Waits
     * uninterruptibly; the interrupt status is kept.
     *
     * @return {@code DEREGISTERED}, or {@code ALREADY_DEREGISTERED} (also after waiting for the
     *         deregistration that owns it to finish)
     */
    public DeregisterResult deregister() {
        if (!commit()) {
            removed.join();
            return DeregisterResult.ALREADY_DEREGISTERED;
        }
        shutdownOrUnclaim(COMMITTED);
        uses.termination().join();
        return complete();
    }

    /**
     * Refuses new calls at once; the future completes when the last call in flight has ended,
     * on the thread that ended it (or at once, on this thread, if none was in flight).
     */
    public CompletableFuture<DeregisterResult> deregisterAsync() {
        if (!commit()) {
            return removed.thenApply(v -> DeregisterResult.ALREADY_DEREGISTERED);
        }
        shutdownOrUnclaim(COMMITTED);
        return uses.termination().thenApply(v -> complete());
    }

    // ---------------------------------------------------------------- group support

    /** Claims for a group's all-or-nothing attempt; see RegistrationGroup. */
    boolean claimForTry() {
        return CLAIM.compareAndSet(this, REGISTERED, TRYING);
    }

    /** The group's attempt on this member: tryShutdown (DEAD on success). */
    boolean tryStop() {
        return uses.tryShutdown();
    }

    /**
     * Undoes a group's attempt: the member is made callable again. A member whose count went DEAD
     * is reopened: a new life, as if never stopped. If a blocking call took the member over, it is
     * left to that call.
     */
    void undoTry(boolean stopped) {
        if (!stopped) {
            CLAIM.compareAndSet(this, TRYING, REGISTERED); // fails only if taken over: theirs now
            return;
        }
        if (CLAIM.compareAndSet(this, TRYING, ROLLING_BACK)) {
            uses.reopen();
            claim = REGISTERED;
        }
    }

    /** Completes a group's deregistration of this member once its count is DEAD. */
    DeregisterResult finish() {
        return complete();
    }

    /** Commits for a blocking group deregistration; false if another owns or finished it. */
    boolean commitForGroup() {
        return commit();
    }

    void shutdownUses() {
        shutdownOrUnclaim(COMMITTED);
    }

    /** Undoes commitForGroup + shutdownUses for a group whose later member failed. */
    void undoCommit() {
        if (uses.cancelShutdown()) {
            claim = REGISTERED;
        } else { // it went DEAD already: finish what was started
            complete();
        }
    }

    /** Whether another call owns or finished a deregistration (a group's claim was refused). */
    boolean isTakenByOther() {
        int c = claim;
        return c == COMMITTED || c == DEREGISTERED;
    }

    void awaitIdle() {
        uses.termination().join();
    }

    void awaitRemoved() {
        removed.join();
    }

    // ---------------------------------------------------------------- claim helpers

    /**
     * shutdown() under a claim we own. It throws only on misuse (a stray release made the count
     * negative), leaving the count LIVE; then the claim is released too, so the registration is
     * exactly as before, and the exception goes to the caller.
     */
    private void shutdownOrUnclaim(int owned) {
        try {
            uses.shutdown();
        } catch (IllegalStateException misuse) {
            CLAIM.compareAndSet(this, owned, REGISTERED);
            throw misuse;
        }
    }

    /** Claims for a blocking or async deregistration, taking over a TRYING owner. */
    private boolean commit() {
        for (;;) {
            int c = claim;
            switch (c) {
                case REGISTERED:
                case TRYING:
                    if (CLAIM.compareAndSet(this, c, COMMITTED)) {
                        return true;
                    }
                    break;
                case ROLLING_BACK:
                    Thread.onSpinWait(); // a timed owner is undoing its shutdown: a few instructions
                    break;
                default:
                    return false; // COMMITTED or DEREGISTERED
            }
        }
    }

    /** A timed owner gave up: undo its shutdown, unless taken over or finished first. */
    private DeregisterResult rollBack() {
        if (!CLAIM.compareAndSet(this, TRYING, ROLLING_BACK)) {
            return DeregisterResult.ALREADY_DEREGISTERED; // a blocking call took over: it finishes
        }
        if (uses.cancelShutdown()) {
            claim = REGISTERED;
            return DeregisterResult.BUSY;
        }
        return complete(); // the count went DEAD before we could cancel: it is done
    }

    /** The count is DEAD: exactly one caller marks DEREGISTERED and removes the registration. */
    private DeregisterResult complete() {
        for (;;) {
            int c = claim;
            if (c == DEREGISTERED) {
                return DeregisterResult.ALREADY_DEREGISTERED;
            }
            if (CLAIM.compareAndSet(this, c, DEREGISTERED)) {
                registry.remove(this);
                removed.complete(null);
                return DeregisterResult.DEREGISTERED;
            }
        }
    }

    private DeregisterResult refused() {
        int c = claim;
        return c == COMMITTED || c == DEREGISTERED ? DeregisterResult.ALREADY_DEREGISTERED : DeregisterResult.BUSY;
    }

    @Override
    public String toString() {
        return "Registration[" + service + ", " + (claim == DEREGISTERED ? "deregistered" : uses.state()) + "]";
    }

    // VarHandle mechanics
    private static final VarHandle CLAIM;

    static {
        try {
            CLAIM = MethodHandles.lookup().findVarHandle(Registration.class, "claim", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
