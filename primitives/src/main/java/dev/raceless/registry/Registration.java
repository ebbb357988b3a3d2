package dev.raceless.registry;

import dev.raceless.internal.Stalls;
import dev.raceless.internal.VarHandles;
import dev.raceless.internal.Waits;
import dev.raceless.internal.jfr.Recorded;
import dev.raceless.refcount.UseCount;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A service registered in a {@link Registry}, and the module's handle to take it back.
 *
 * <p><b>The rule</b> (Werner Almesberger, 2002): a deregistration "either does nothing, and returns
 * failure, or it returns success, and completely de-registers everything". A {@code DEREGISTERED}
 * result means no call into the service is running and none can start; {@code BUSY} means nothing
 * changed. Exactly one call reports {@code DEREGISTERED} for a registration, whatever races it; a
 * {@link RegistrationGroup}'s {@code DEREGISTERED} counts as that report for every member.
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
 * deregistration that meets a try in progress takes it over: the try then reports
 * {@code ALREADY_DEREGISTERED} instead of rolling back. One that meets a group's
 * {@link RegistrationGroup#tryDeregisterAll()} in progress waits out that attempt (it never
 * blocks, so this is a short spin), then acts on its outcome.
 *
 * <p><b>Calls.</b> A call is a successful {@link #tryAcquire()}, the call, then {@link #release()}
 * or, the same thing for try-with-resources, {@link #close()}. Each is one operation on the
 * registration's {@link UseCount}. {@code close()} ends a call; it does not deregister.
 *
 * <p><b>Misuse.</b> A {@code release()} without a call in progress cannot be seen at the release
 * while the registration is registered (seeing it would cost every call). The next deregistration
 * sees it: it finds more releases than calls. A {@code tryDeregister} (timed or not) then repairs
 * the count and throws {@link IllegalStateException} saying so, leaving the registration
 * registered and deregistrable. A {@code deregister()} or {@code deregisterAsync()} is committed
 * and cannot roll back: it repairs the count, reports the misuse through {@link System.Logger}
 * (logger {@code dev.raceless.registry.Registration}, level {@code WARNING}) and finishes. A
 * release on a deregistered registration throws at once. A stray release while calls are in
 * flight may go unseen (the count is then low but not negative), and can let a deregistration
 * finish while a call still runs: releasing only what was acquired is the caller's part.
 *
 * <p><b>Memory consistency effects.</b> Actions in a call (between a successful
 * {@link #tryAcquire()} and its {@link #release()}) happen-before a deregistration of this
 * registration reports {@code DEREGISTERED} (jcstress {@code CallVsTryDeregister}).
 *
 * @param <T> the service type
 */
public final class Registration<T> implements AutoCloseable {
    /*
     * Implementation notes.
     *
     * The guard is a UseCount: a call is a use. Who owns the deregistration is a small claim word:
     *
     *   REGISTERED    0  nobody is deregistering
     *   TRYING        1  a tryDeregister (timed or not) owns it and may roll back; can be taken over
     *   ROLLING_BACK  2  the owner is undoing its shutdown or repairing a stray release; transient
     *   COMMITTED     3  a blocking or async deregistration (or a group's deregisterAll) owns it;
     *                    cannot roll back
     *   DEREGISTERED  4  removed from the registry
     *   GROUP         5  a group's tryDeregisterAll owns it; cannot be taken over; transient
     *
     *   0 -> 1 (try) -> 0 (busy; via 2 for the timed variant) | 4 (done)
     *   0 -> 3 (blocking/async) -> 4;  1 -> 3 (a blocking call takes a try over)
     *   0 -> 5 (group) -> 0 (busy: undone) | 4 (done)
     *
     * Invariants:
     *   1. Only the claim owner moves the UseCount to GOING or back, reopens or repairs it, and
     *      only while it owns the claim. The one exception: anyone who finds a COMMITTED claim
     *      may call shutdown() to help it take effect (already()); COMMITTED never rolls back.
     *      (A try owner that was taken over may still be inside its tryShutdown; by UseCount's
     *      rules that either ends the life or leaves it to the shutdown() of the owner that took
     *      over.)
     *   2. A timed owner cancels its shutdown only after CASing TRYING -> ROLLING_BACK, so a
     *      blocking caller can never be left waiting on a count that went LIVE again: it either took
     *      over first (the CAS fails, no rollback) or waits out ROLLING_BACK and starts afresh.
     *   3. DEREGISTERED is set by one CAS from the claim value of its owner at that moment
     *      (complete), after the count is DEAD. That owner alone reports DEREGISTERED, removes the
     *      registration and completes {@code removed}. An owner that was taken over fails that CAS
     *      and reports ALREADY_DEREGISTERED: the one that took over finishes.
     *   4. Only TRYING can be taken over, only into COMMITTED, and COMMITTED only ever becomes
     *      DEREGISTERED. So a claim never returns to an owner's value behind its back (no ABA),
     *      and a caller that finds COMMITTED or DEREGISTERED may safely wait for {@code removed}.
     *   5. The transient owners (ROLLING_BACK, GROUP) never block; commit() spins on them.
     *
     * Exactly one DEREGISTERED (ExactlyOneDeregisteredTest, Lincheck RegistrationLincheckTest):
     * a report needs the one winning CAS to DEREGISTERED (invariant 3). A group reports
     * DEREGISTERED only after holding GROUP on every member and winning every such CAS; GROUP
     * cannot be taken over, so no member's own call can win one of them.
     *
     * Stray releases. A deregistration that finds the count negative (UseCount throws) repairs it
     * with the missing acquires, while it owns the claim exclusively and the
     * count is LIVE again (UseCount.repair()). The deficit is read by a sum that takes releases
     * before acquires, so with correct use elsewhere it is never more than the stray releases not
     * yet compensated: the repair never adds a use that nobody holds. Open: a second stray
     * release racing the repair, one that found the count closing and so is compensated by
     * UseCount itself, may be counted twice; the count is then one too high and a blocking
     * deregistration waits for good. That takes two concurrent misuses; UseCount's exact debug
     * tracking is the tool for those. The hot path is untouched: tryAcquire and release are one
     * UseCount call each, and implementing AutoCloseable adds nothing to them.
     *
     * Rejected: a try variant that repairs and carries on silently (misuse must be visible where
     * the caller can act on it); a committed variant that throws and undoes its commit (callers
     * that found it committed wait for its removal and would wait forever).
     */

    private static final int REGISTERED = 0;
    private static final int TRYING = 1;
    private static final int ROLLING_BACK = 2;
    private static final int COMMITTED = 3;
    private static final int DEREGISTERED = 4;
    private static final int GROUP = 5;

    private static final System.Logger LOG = System.getLogger(Registration.class.getName());

    private final Registry<T> registry;
    private final T service;
    private final UseCount uses = new UseCount();
    private final CompletableFuture<Void> removed = new CompletableFuture<>();
    private volatile int claim;

    Registration(Registry<T> registry, T service) {
        this.registry = registry;
        this.service = service;
        Stalls s = Stalls.defaults("dev.raceless.registry");
        reportStalls(s.nanos(), TimeUnit.NANOSECONDS, s.reporter());
    }

    /**
     * Sets when a blocking deregistration ({@link #deregister()}, a group's
     * {@code deregisterAll()}) or a timed {@link #tryDeregister(long, TimeUnit)} that keeps
     * waiting for calls in flight is reported: once per wait, after {@code threshold}, through
     * {@code reporter}. The report names this registration, the waiting thread and how long it has
     * waited and, with {@code -Ddev.raceless.refcount.debug=true}, every call still in flight with
     * the thread and stack that began it. The default is 10 s (system property
     * {@value dev.raceless.internal.Stalls#PROPERTY}, milliseconds) and a WARNING through the
     * {@link System.Logger} {@code dev.raceless.registry}.
     *
     * @param threshold how long a wait may last before it is reported
     * @param unit the unit of {@code threshold}
     * @param reporter receives each report, on the waiting thread; it should not block
     * @throws IllegalArgumentException if {@code threshold} is not positive
     */
    public void reportStalls(long threshold, TimeUnit unit, Consumer<String> reporter) {
        Objects.requireNonNull(reporter, "reporter");
        uses.reportStalls(threshold, unit, report -> reporter.accept("deregistration of " + this + ": " + report));
    }

    /** The blocking deregistrations' wait for the calls in flight: uninterruptible, reported if it stalls. */
    private void awaitCallsEnded() {
        boolean interrupted = false;
        for (;;) {
            try {
                uses.awaitTermination();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // keep waiting; the status is restored below
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@return the registered service} */
    public T service() {
        return service;
    }

    /** {@return the registry this registration belongs to} */
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
     * @throws IllegalStateException if the registration is deregistered, or is being deregistered
     *         and this release would make the count negative: no call was in progress. The count
     *         is left as it was. On a registration that is registered a release without a call is
     *         not seen here but by the next deregistration (see <b>Misuse</b> above).
     */
    public void release() {
        uses.release();
    }

    /**
     * Ends a call begun with a successful {@link #tryAcquire()}: the same as {@link #release()}, for
     * try-with-resources (which skips a {@code null} resource, so the result of
     * {@link Registry#acquireFirst} can be used directly). Does not deregister.
     *
     * @throws IllegalStateException as {@link #release()}
     */
    @Override
    public void close() {
        uses.release();
    }

    /**
     * Whether the registration admits calls: registered, and no deregistration has begun refusing
     * them. Follows the use count, which is what a {@link #tryAcquire()} consults, so the two
     * agree (Lincheck {@code RegistrationLincheckTest}); a deregistration that has claimed the
     * registration but not yet shut its count reports {@code true} for that instant.
     *
     * @return {@code true} if a {@link #tryAcquire()} now would succeed
     */
    public boolean isRegistered() {
        return uses.state() == UseCount.State.LIVE;
    }

    /**
     * Whether a deregistration has taken effect: no call is running and none can start, ever. The
     * removal from the registry and the report of the deregistering call may still be a few
     * instructions behind.
     *
     * @return {@code true} if the registration is deregistered for good
     */
    public boolean isDeregistered() {
        int c = claim;
        if (c == DEREGISTERED) {
            return true;
        }
        // A DEAD count is final under every owner but a group's attempt, which may reopen it.
        // The claim read first: if it was not GROUP then, a DEAD count read after belongs to an
        // owner that will complete (only a GROUP owner reopens, and it cannot have claimed since:
        // the claim is not REGISTERED). A REGISTERED claim with a DEAD count cannot be seen.
        if (c == GROUP || c == REGISTERED) {
            return false;
        }
        UseCount.State s = uses.state();
        // A committed count that is GOING with no use held is over as well: GOING refuses new
        // uses, a hand-off needs a holder, and COMMITTED never rolls back. UseCount's shutdown of
        // an idle count passes through such a GOING for an instant before it reaches DEAD; this
        // keeps that instant from showing here (estimate() is never too small under correct use).
        return s == UseCount.State.DEAD || c == COMMITTED && s == UseCount.State.GOING && uses.estimate() == 0;
    }

    // ---------------------------------------------------------------- the variants

    /**
     * Deregisters if no call is in flight; never blocks. All or nothing: {@code DEREGISTERED}, or
     * {@code BUSY} with the registration exactly as before. {@code ALREADY_DEREGISTERED} if another
     * deregistration owns or finished it (also if a blocking one took this attempt over).
     *
     * @return {@code DEREGISTERED}, {@code BUSY} or {@code ALREADY_DEREGISTERED}
     * @throws IllegalStateException if the count shows a {@link #release()} without a call; the
     *         count is repaired and the registration left registered
     */
    public DeregisterResult tryDeregister() {
        return Recorded.deregistration(this, "tryDeregister", this::tryDeregisterNow);
    }

    private DeregisterResult tryDeregisterNow() {
        if (!CLAIM.compareAndSet(this, REGISTERED, TRYING)) {
            return refused();
        }
        boolean idle;
        try {
            idle = uses.tryShutdown();
        } catch (IllegalStateException misuse) { // the count is LIVE again, as before the call
            throw strayRelease("tryDeregister()", misuse);
        }
        if (idle) {
            return complete(TRYING); // fails if a blocking call took over: it finishes
        }
        // Busy. This call's tryShutdown left the count LIVE, unless a blocking call took over (claim is
        // COMMITTED and its shutdown() made the count GOING): then it is theirs to finish.
        return CLAIM.compareAndSet(this, TRYING, REGISTERED) ? DeregisterResult.BUSY : already();
    }

    /**
     * Refuses new calls, and waits at most {@code timeout} for the calls in flight to finish. If
     * they do, deregisters; if not, takes the service back into use and reports {@code BUSY}.
     *
     * @param timeout the longest time to wait for the calls in flight
     * @param unit the unit of {@code timeout}
     * @return {@code DEREGISTERED}; {@code BUSY} (the calls in flight did not finish in time; the
     *         registration is as before); or {@code ALREADY_DEREGISTERED} if another
     *         deregistration owns or finished it
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws InterruptedException if interrupted while waiting (the registration is then
     *         restored as on a timeout, unless it became idle first)
     * @throws IllegalStateException if the count shows a {@link #release()} without a call; the
     *         count is repaired and the registration left registered
     */
    public DeregisterResult tryDeregister(long timeout, TimeUnit unit) throws InterruptedException {
        return Recorded.deregistration(this, "tryDeregister(timeout)", () -> tryDeregisterNow(timeout, unit));
    }

    private DeregisterResult tryDeregisterNow(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = Waits.timeoutNanos(timeout, unit);
        if (!CLAIM.compareAndSet(this, REGISTERED, TRYING)) {
            return refused();
        }
        try {
            uses.shutdown();
        } catch (IllegalStateException misuse) { // the count is LIVE again, as before the call
            throw strayRelease("tryDeregister(timeout)", misuse);
        }
        boolean idle;
        try {
            idle = uses.awaitTermination(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            DeregisterResult r = rollBack();
            if (r == DeregisterResult.BUSY) {
                throw e; // restored as on a timeout
            }
            Thread.currentThread().interrupt(); // finished, or taken over: report that, keep the status
            return r;
        }
        return idle ? complete(TRYING) : rollBack();
    }

    /**
     * Refuses new calls at once and returns after the calls in flight have finished. Waits
     * uninterruptibly; the interrupt status is kept. A {@link #release()} without a call found on
     * the way is repaired and logged (see <b>Misuse</b> above); this call still finishes.
     *
     * @return {@code DEREGISTERED}, or {@code ALREADY_DEREGISTERED} (also after waiting for the
     *         deregistration that owns it to finish)
     */
    public DeregisterResult deregister() {
        return Recorded.deregistration(this, "deregister", this::deregisterNow);
    }

    private DeregisterResult deregisterNow() {
        if (!commit()) {
            already();
            removed.join();
            return DeregisterResult.ALREADY_DEREGISTERED;
        }
        shutdownCommitted("deregister()");
        awaitCallsEnded();
        return complete(COMMITTED);
    }

    /**
     * Refuses new calls at once; the future completes when the last call in flight has ended,
     * on the thread that ended it (or at once, on this thread, if none was in flight). A
     * {@link #release()} without a call found on the way is repaired and logged, as by
     * {@link #deregister()}.
     *
     * @return a future completed with {@code DEREGISTERED}, or with {@code ALREADY_DEREGISTERED}
     *         once the deregistration that owns it has finished
     */
    public CompletableFuture<DeregisterResult> deregisterAsync() {
        return Recorded.deregistrationAsync(this, "deregisterAsync", deregisterAsyncNow());
    }

    private CompletableFuture<DeregisterResult> deregisterAsyncNow() {
        if (!commit()) {
            already();
            return removed.thenApply(v -> DeregisterResult.ALREADY_DEREGISTERED);
        }
        shutdownCommitted("deregisterAsync()");
        return uses.termination().thenApply(v -> complete(COMMITTED));
    }

    // ---------------------------------------------------------------- group support

    /** Claims for a group's all-or-nothing attempt (GROUP cannot be taken over); see RegistrationGroup. */
    boolean claimForGroup() {
        return CLAIM.compareAndSet(this, REGISTERED, GROUP);
    }

    /**
     * The group's attempt on this member, under its GROUP claim: tryShutdown (DEAD on success).
     *
     * @throws IllegalStateException on a stray release; the count is repaired, the claim kept
     */
    boolean tryStop() {
        try {
            return uses.tryShutdown();
        } catch (IllegalStateException misuse) { // LIVE again; this call owns the claim exclusively
            repair();
            throw misuseFound("RegistrationGroup.tryDeregisterAll()", misuse);
        }
    }

    /**
     * The group's attempt on all its members at once, under its GROUP claims: one
     * {@link UseCount#tryShutdownAll} (one heavy barrier for the whole group, not one per member).
     * All DEAD on success; on {@code false} every count is LIVE. A member found corrupted is
     * repaired and reported; every count is then LIVE.
     */
    static boolean tryStopAll(List<? extends Registration<?>> members) {
        List<UseCount> counts = new ArrayList<>(members.size());
        for (Registration<?> r : members) {
            counts.add(r.uses);
        }
        try {
            return UseCount.tryShutdownAll(counts);
        } catch (IllegalStateException misuse) { // every count LIVE as it was; this call owns every claim
            Registration<?> corrupted = null;
            for (Registration<?> r : members) {
                if (r.repair() > 0 && corrupted == null) {
                    corrupted = r;
                }
            }
            throw (corrupted != null ? corrupted : members.get(0))
                    .misuseFound("RegistrationGroup.tryDeregisterAll()", misuse);
        }
    }

    /** Gives back a GROUP claim; a member the group stopped (DEAD) is reopened first: a new life. */
    void undoGroup(boolean stopped) {
        if (stopped) {
            uses.reopen(); // DEAD and ours: cannot fail
        }
        claim = REGISTERED; // release; this call owns GROUP, nobody else writes it
    }

    /** Completes a group's tryDeregisterAll of this member, whose count is DEAD. */
    DeregisterResult finishGroup() {
        return complete(GROUP);
    }

    /** Commits for a group's deregisterAll; false if another owns or finished it. */
    boolean commitForGroup() {
        return commit();
    }

    /** Shuts down under the group's COMMITTED claim. */
    void shutdownForGroup() {
        shutdownCommitted("RegistrationGroup.deregisterAll()");
    }

    /** Completes a group's deregisterAll of this member once its count is DEAD. */
    DeregisterResult finishCommitted() {
        awaitCallsEnded();
        return complete(COMMITTED);
    }

    /**
     * Whether another call owns or finished a deregistration (a group's claim was refused); helps
     * it as already() does.
     */
    boolean isTakenByOther() {
        int c = claim;
        if (c == COMMITTED || c == DEREGISTERED) {
            already();
            return true;
        }
        return false;
    }

    void awaitRemoved() {
        removed.join();
    }

    // ---------------------------------------------------------------- claim helpers

    /** Claims for a blocking or async deregistration, taking over a TRYING owner. */
    private boolean commit() {
        for (int spins = 0;; spins++) {
            int c = claim;
            switch (c) {
                case REGISTERED:
                case TRYING:
                    if (CLAIM.compareAndSet(this, c, COMMITTED)) {
                        return true;
                    }
                    break;
                case ROLLING_BACK:
                case GROUP:
                    // A transient owner: a timed owner undoing its shutdown, or a group's lock-free
                    // attempt. It never blocks; it may be descheduled, so yield now and then.
                    if ((spins & 63) == 63) {
                        Thread.yield();
                    } else {
                        Thread.onSpinWait();
                    }
                    break;
                default:
                    return false; // COMMITTED or DEREGISTERED
            }
        }
    }

    /** A timed owner gave up: undo its shutdown, unless taken over or finished first. */
    private DeregisterResult rollBack() {
        if (!CLAIM.compareAndSet(this, TRYING, ROLLING_BACK)) {
            return already(); // a blocking call took over: it finishes
        }
        if (uses.cancelShutdown()) {
            claim = REGISTERED;
            return DeregisterResult.BUSY;
        }
        return complete(ROLLING_BACK); // the count went DEAD before the cancel: it is done
    }

    /**
     * The count is DEAD and {@code owned} was this call's claim: one CAS decides the single report
     * (invariant 3). A TRYING owner may have been taken over: the owner that took over finishes.
     */
    private DeregisterResult complete(int owned) {
        if (!CLAIM.compareAndSet(this, owned, DEREGISTERED)) {
            return already();
        }
        registry.remove(this);
        removed.complete(null);
        return DeregisterResult.DEREGISTERED;
    }

    private DeregisterResult refused() {
        int c = claim;
        return c == COMMITTED || c == DEREGISTERED ? already() : DeregisterResult.BUSY;
    }

    /**
     * Reports ALREADY_DEREGISTERED to a caller that found another call committed, after helping
     * that commit take effect: the committed owner CASes its claim first and shuts the count
     * down just after, and in between calls would still get in although this caller was told the
     * registration is going (Lincheck RegistrationLincheckTest found that window). shutdown() is
     * idempotent, and a COMMITTED claim never rolls back (invariant 4), so any thread may make
     * it; a stray release it meets is left to the owner, which repairs it.
     */
    private DeregisterResult already() {
        if (claim == COMMITTED) {
            try {
                uses.shutdown();
            } catch (IllegalStateException misuseLeftToTheOwner) {
                // the owner's own shutdown finds the same negative count and repairs it
            }
        }
        return DeregisterResult.ALREADY_DEREGISTERED;
    }

    // ---------------------------------------------------------------- stray releases

    /**
     * A try owner's UseCount call found a stray release and left the count LIVE. Repairs it and
     * gives the claim back, unless a blocking call took the attempt over (then the repair is its
     * business: it finds the same negative count). Returns the exception to throw.
     */
    private IllegalStateException strayRelease(String operation, IllegalStateException misuse) {
        if (CLAIM.compareAndSet(this, TRYING, ROLLING_BACK)) { // exclusive: nobody can take over now
            try {
                repair();
            } finally {
                claim = REGISTERED;
            }
        }
        return misuseFound(operation, misuse);
    }

    /** shutdown() under a COMMITTED claim, which cannot roll back: repair a stray release and go on. */
    private void shutdownCommitted(String operation) {
        for (;;) {
            try {
                uses.shutdown();
                return;
            } catch (IllegalStateException misuse) { // the count is LIVE again; this call owns the claim
                long added = repair();
                LOG.log(System.Logger.Level.WARNING, () -> operation + " on " + this + " found more release() calls "
                        + "than successful tryAcquire() calls: release() was called without a call in progress. "
                        + "Repaired the count (" + added + " added) and deregistering anyway.", misuse);
            }
        }
    }

    /**
     * Adds back the releases the count is missing, as hand-off acquires, on a LIVE count whose
     * claim this thread owns exclusively; see the implementation notes for why it never adds a use
     * nobody holds. At least one: the caller saw a negative count.
     */
    private long repair() {
        return uses.repair(); // UseCount's way out: adds exactly the missing acquires
    }

    private IllegalStateException misuseFound(String operation, IllegalStateException misuse) {
        return new IllegalStateException(operation + " on " + this + " found more release() calls than successful "
                + "tryAcquire() calls: release() was called without a call in progress. The count was repaired and "
                + "the registration left registered; deregister again.", misuse);
    }

    @Override
    public String toString() {
        return "Registration[" + service + ", " + (claim == DEREGISTERED ? "deregistered" : uses.state()) + "]";
    }

    // VarHandle mechanics
    private static final VarHandle CLAIM = VarHandles.field(MethodHandles.lookup(), "claim", int.class);
}
