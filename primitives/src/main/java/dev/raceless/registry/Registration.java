package dev.raceless.registry;

import dev.raceless.internal.Stalls;
import dev.raceless.internal.UnloadClaim;
import dev.raceless.internal.Waits;
import dev.raceless.internal.jfr.Recorded;
import dev.raceless.refcount.UseCount;

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
 * blocks, so the wait is short), then acts on its outcome (jcstress {@code TryVsCommit} checks
 * the take-over).
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
     * The guard is a UseCount (a call is a use); who owns the deregistration is an UnloadClaim,
     * the protocol shared with ModuleLoader: its class comment holds the claim word, the state
     * machine and the invariants, docs/unload-protocol.md the proof sketch. What is this class's:
     *
     *   tryDeregister()            TRYING; tryRetire (all or nothing); DONE or given back
     *   tryDeregister(timeout)     TRYING; refuse, wait, DONE or undo
     *   deregister(), async        COMMITTED (taking a TRYING attempt over); refuse, wait, DONE
     *   group tryDeregisterAll     EXCLUSIVE on every member (see RegistrationGroup)
     *   group deregisterAll        COMMITTED on every member it can claim
     *
     *   R1. A COMMITTED claim of a registration is never undone: only the DONE CAS follows it. So a
     *       caller that finds COMMITTED or DONE reports ALREADY_DEREGISTERED and may wait for
     *       claim.done(); and any thread may help a COMMITTED claim take effect (already()).
     *   R2. A registration is removed from its registry by the owner that won the DONE CAS, before
     *       claim.done() completes: a caller told ALREADY_DEREGISTERED by a blocking call no
     *       longer finds it in the registry.
     *
     * Exactly one DEREGISTERED (ExactlyOneDeregisteredTest, Lincheck RegistrationLincheckTest): a
     * report needs the one winning CAS to DONE. A group reports DEREGISTERED only after holding
     * EXCLUSIVE on every member and winning every such CAS; EXCLUSIVE cannot be taken over, so no
     * member's own call can win one of them.
     *
     * Stray releases are repaired by the claim (UnloadClaim.misuseFound); the deficit is read by a
     * sum that takes releases before acquires, so with correct use elsewhere the repair never adds
     * a use that nobody holds. Open: a second stray release racing the repair, one that found the
     * count closing and so is compensated by UseCount itself, may be counted twice; the count is
     * then one too high and a blocking deregistration waits for good. That takes two concurrent
     * misuses; UseCount's exact debug tracking is the tool for those. The hot path is untouched:
     * tryAcquire and release are one UseCount call each.
     */

    private static final int TRYING = UnloadClaim.TRYING;
    private static final int COMMITTED = UnloadClaim.COMMITTED;
    private static final int DONE = UnloadClaim.DONE;
    private static final int EXCLUSIVE = UnloadClaim.EXCLUSIVE;

    private final Registry<T> registry;
    private final T service;
    private final UseCount uses = new UseCount();
    private final UnloadClaim claim = new UnloadClaim(uses, Registration.class.getName(), this::toString);

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
        int c = claim.state();
        if (c == DONE) {
            return true;
        }
        // A DEAD count is final under every owner but a group's attempt, which may reopen it
        // (a registration never revives a DEAD count otherwise). The claim read first: if it was
        // not EXCLUSIVE then, a DEAD count read after belongs to an owner that will complete (only
        // an EXCLUSIVE owner reopens, and it cannot have claimed since: the claim is not OPEN).
        // An OPEN claim with a DEAD count cannot be seen.
        if (c == EXCLUSIVE || c == UnloadClaim.OPEN) {
            return false;
        }
        UseCount.State s = uses.state();
        // A committed count that is GOING with no use held is over as well: GOING refuses new
        // uses, a hand-off needs a holder, and COMMITTED never rolls back (R1). UseCount's shutdown of
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
        if (!claim.tryClaim()) {
            return refused();
        }
        UnloadClaim.Outcome o = claim.tryRetire(TRYING, "tryDeregister()");
        if (o == UnloadClaim.Outcome.IDLE) {
            return complete(TRYING); // fails if a blocking call took over: it finishes
        }
        return o == UnloadClaim.Outcome.GIVEN_BACK ? DeregisterResult.BUSY : already(); // or taken over
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
        if (!claim.tryClaim()) {
            return refused();
        }
        claim.refuse(TRYING, "tryDeregister(timeout)");
        boolean idle;
        try {
            idle = claim.awaitRetired(Waits.Mode.TIMED, nanos);
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
        if (!claim.commit()) {
            already();
            claim.done().join();
            return DeregisterResult.ALREADY_DEREGISTERED;
        }
        claim.refuse(COMMITTED, "deregister()");
        claim.awaitRetiredUninterruptibly();
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
        if (!claim.commit()) {
            already();
            return claim.done().thenApply(v -> DeregisterResult.ALREADY_DEREGISTERED);
        }
        claim.refuse(COMMITTED, "deregisterAsync()");
        return uses.termination().thenApply(v -> complete(COMMITTED));
    }

    // ---------------------------------------------------------------- group support

    /** Claims for a group's all-or-nothing attempt (EXCLUSIVE cannot be taken over); see RegistrationGroup. */
    boolean claimForGroup() {
        return claim.claimExclusive();
    }

    /**
     * The group's attempt on all its members at once, under its EXCLUSIVE claims: one
     * {@link UseCount#tryShutdownAll} (one heavy barrier for the whole group, not one per member).
     * All DEAD on success; on {@code false} every count is LIVE. A member found corrupted is
     * repaired and reported; every count is then LIVE and every claim still the group's.
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
                if (r.claim.repairExclusive() > 0 && corrupted == null) {
                    corrupted = r;
                }
            }
            throw (corrupted != null ? corrupted : members.get(0)).claim
                    .misuseException("RegistrationGroup.tryDeregisterAll()", misuse);
        }
    }

    /** Gives back an EXCLUSIVE claim; a member the group stopped (DEAD) is reopened first: a new life. */
    void undoGroup(boolean stopped) {
        claim.release(stopped);
    }

    /** Completes a group's tryDeregisterAll of this member, whose count is DEAD. */
    DeregisterResult finishGroup() {
        return complete(EXCLUSIVE);
    }

    /** Commits for a group's deregisterAll; false if another owns or finished it. */
    boolean commitForGroup() {
        return claim.commit();
    }

    /** Shuts down under the group's COMMITTED claim. */
    void shutdownForGroup() {
        claim.refuse(COMMITTED, "RegistrationGroup.deregisterAll()");
    }

    /** Completes a group's deregisterAll of this member once its count is DEAD. */
    DeregisterResult finishCommitted() {
        claim.awaitRetiredUninterruptibly();
        return complete(COMMITTED);
    }

    /**
     * Whether another call owns or finished a deregistration (a group's claim was refused); helps
     * it as already() does.
     */
    boolean isTakenByOther() {
        int c = claim.state();
        if (c == COMMITTED || c == DONE) {
            already();
            return true;
        }
        return false;
    }

    void awaitRemoved() {
        claim.done().join();
    }

    // ---------------------------------------------------------------- claim helpers

    /** A timed owner gave up: undo its shutdown, unless taken over or finished first. */
    private DeregisterResult rollBack() {
        UnloadClaim.Outcome o = claim.undo(TRYING, null);
        if (o == UnloadClaim.Outcome.IDLE) {
            return complete(COMMITTED); // the count went DEAD before the undo: it is done
        }
        return o == UnloadClaim.Outcome.GIVEN_BACK ? DeregisterResult.BUSY : already(); // or taken over
    }

    /**
     * The count is DEAD and {@code owned} was this call's claim: one CAS decides the single report.
     * A TRYING owner may have been taken over: the owner that took over finishes.
     */
    private DeregisterResult complete(int owned) {
        return claim.finish(owned, () -> registry.remove(this)) ? DeregisterResult.DEREGISTERED : already();
    }

    private DeregisterResult refused() {
        int c = claim.state();
        return c == COMMITTED || c == DONE ? already() : DeregisterResult.BUSY;
    }

    /**
     * Reports ALREADY_DEREGISTERED to a caller that found another call committed, after helping
     * that commit take effect: the committed owner CASes its claim first and shuts the count
     * down just after, and in between calls would still get in although this caller was told the
     * registration is going (Lincheck RegistrationLincheckTest found that window). shutdown() is
     * idempotent, and a registration's COMMITTED claim never rolls back (R1), so any thread may
     * make it; a stray release it meets is left to the owner, which repairs it.
     */
    private DeregisterResult already() {
        if (claim.state() == COMMITTED) {
            try {
                uses.shutdown();
            } catch (IllegalStateException misuseLeftToTheOwner) {
                // the owner's own shutdown finds the same negative count and repairs it
            }
        }
        return DeregisterResult.ALREADY_DEREGISTERED;
    }

    @Override
    public String toString() {
        return "Registration[" + service + ", " + (claim.state() == DONE ? "deregistered" : uses.state()) + "]";
    }
}
