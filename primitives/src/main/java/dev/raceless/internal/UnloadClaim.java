package dev.raceless.internal;

import dev.raceless.refcount.UseCount;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The unload protocol of one guarded object (a {@code Registration}, a {@code ModuleLoader}
 * instance): who may retire its {@link UseCount}, how an attempt refuses new callers, waits or
 * gives up, finishes or undoes itself, when another attempt may take it over, and how a count
 * corrupted by a stray release is repaired. The owner class keeps only what differs: what its
 * callers wait for, the lifecycle points it runs in between, and what finishing means (removal
 * from a registry, a destroy). The proof sketch is in {@code docs/unload-protocol.md}.
 *
 * <p><b>Misuse</b> (a release without an acquire, found as a negative count) gets one policy: an
 * attempt that may undo itself (a try form) repairs the count, gives the claim back and throws
 * {@link IllegalStateException}; a committed attempt repairs the count, logs a WARNING and goes
 * on. Either way the object stays usable.
 */
public final class UnloadClaim {
    /*
     * Implementation notes.
     *
     * State: one int, the claim word, beside the object's UseCount.
     *
     *   OPEN       0  no attempt owns the object
     *   TRYING     1  a try form owns it and may undo itself; a committing caller may take it over
     *   UNDOING    2  the owner is giving the object back or repairing its count; transient
     *   COMMITTED  3  an owner that nobody can take over (a blocking form, or a try form that found
     *                 the count DEAD and sealed its attempt); only its owner moves it on
     *   DONE       4  retired for good; final
     *   EXCLUSIVE  5  a try form nobody can take over (its undo runs user code, or it acts on several
     *                 objects at once); may undo itself
     *
     *   OPEN -> TRYING -> OPEN (via UNDOING) | COMMITTED (seal) | DONE
     *   OPEN -> EXCLUSIVE -> OPEN (via UNDOING) | COMMITTED (seal) | DONE
     *   OPEN | TRYING -> COMMITTED (commit; from TRYING: a take-over) -> DONE | OPEN (via UNDOING;
     *                    by its owner only, and only ModuleLoader's: an interrupted unload, a reload
     *                    whose factory threw; a Registration's COMMITTED always ends in DONE)
     *
     * attempt is the current attempt's end: a fresh future written by the claimant right after its
     * claim CAS, before the count leaves LIVE, and completed when the attempt ends (given back or
     * DONE). A take-over continues the attempt and keeps its future. done completes once, at DONE.
     *
     * Invariants:
     *   1. Only the owner of the claim shuts the count down, cancels, reopens or repairs it. The one
     *      overlap: a TRYING owner taken over may still be inside its tryShutdown or shutdown; by
     *      UseCount's rules that either ends the life or leaves it to the shutdown of the owner
     *      that took over (which is idempotent).
     *   2. An owner undoes only after its CAS into UNDOING succeeded. A TRYING owner whose CAS fails
     *      was taken over and does nothing more: the committer finishes. So a committer never waits
     *      on a count that went LIVE behind its back.
     *   3. DONE is reached by one CAS from the owner's value; that owner alone reports success and
     *      completes done. Exactly one success per object.
     *   4. Only TRYING can be taken over, only into COMMITTED; the claim never returns to an owner's
     *      value behind its back (no ABA): an owner's CAS from its own value fails iff it was taken
     *      over.
     *   5. UNDOING, EXCLUSIVE and COMMITTED owners end their attempt (complete attempt) on every
     *      path, also when they throw; a caller that finds them waits for that end and looks again.
     *   6. The count is repaired only by an owner in UNDOING or COMMITTED, or by a group holding
     *      EXCLUSIVE on every member (exclusive: nobody else touches the count), on a LIVE count.
     *
     * The proof sketch is in docs/unload-protocol.md; jcstress TryVsCommit (invariants 3 and 4)
     * and UndoVsCommit (invariant 2), each with a Broken twin, and Lincheck UnloadClaimLincheckTest
     * check it.
     *
     * Costs: nothing on the hot path (tryAcquire/release are the UseCount's own); one CAS and one
     * future per attempt.
     *
     * Rejected: a try form that repairs and carries on silently (misuse must reach a caller who can
     * act on it); a committed form that throws on misuse and leaves the count as it found it
     * (its caller asked to wait until done and cannot repair the count; every later attempt would
     * fail the same way, and the object could never be retired); spinning on a transient owner
     * (EXCLUSIVE owners may run user code: waiters park on the attempt's future instead).
     *
     * Order of this file: states and fields; claiming; refusing and waiting; finishing and undoing;
     * misuse; VarHandle mechanics.
     */

    /** No attempt owns the object. */
    public static final int OPEN = 0;
    /** A try form owns it and may undo itself; a committing caller may take it over. */
    public static final int TRYING = 1;
    /** The owner is giving the object back or repairing its count. */
    public static final int UNDOING = 2;
    /** An owner nobody can take over. */
    public static final int COMMITTED = 3;
    /** Retired for good. */
    public static final int DONE = 4;
    /** A try form nobody can take over; may undo itself. */
    public static final int EXCLUSIVE = 5;

    /** How a try owner's attempt or an owner's undo ended. */
    public enum Outcome {
        /** The count is DEAD and the claim still the caller's (after an undo: sealed, COMMITTED). */
        IDLE,
        /** The count is LIVE again, the claim OPEN: nothing changed. */
        GIVEN_BACK,
        /** A committing caller took the attempt over: it finishes; this owner does nothing more. */
        TAKEN_OVER
    }

    private static final CompletableFuture<Void> NO_ATTEMPT = CompletableFuture.completedFuture(null);

    private final UseCount uses;
    private final System.Logger log;
    private final Supplier<String> subject;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile CompletableFuture<Void> attempt = NO_ATTEMPT;
    private volatile int state;

    /**
     * A claim on {@code uses}, OPEN.
     *
     * @param uses the object's count
     * @param logger the logger that receives committed attempts' misuse reports
     * @param subject names the object in messages
     */
    public UnloadClaim(UseCount uses, String logger, Supplier<String> subject) {
        this.uses = uses;
        this.log = System.getLogger(logger);
        this.subject = subject;
    }

    /** {@return the claim word (a snapshot)} */
    public int state() {
        return state;
    }

    /** {@return a future completed when the object is retired (DONE)} */
    public CompletableFuture<Void> done() {
        return done;
    }

    // ---------------------------------------------------------------- claiming

    /**
     * Claims for a try form that may be taken over: OPEN to TRYING.
     *
     * @return whether this call owns the attempt
     */
    public boolean tryClaim() {
        return claimFromOpen(TRYING);
    }

    /**
     * Claims for a try form nobody can take over: OPEN to EXCLUSIVE.
     *
     * @return whether this call owns the attempt
     */
    public boolean claimExclusive() {
        return claimFromOpen(EXCLUSIVE);
    }

    private boolean claimFromOpen(int owner) {
        if (!STATE.compareAndSet(this, OPEN, owner)) {
            return false;
        }
        attempt = new CompletableFuture<>(); // before the owner's count leaves LIVE (invariant 5)
        return true;
    }

    /**
     * Claims for a committed attempt: OPEN to COMMITTED, or takes a TRYING attempt over. Waits out
     * an UNDOING or EXCLUSIVE owner (parked on its attempt's end, uninterruptibly) and looks again.
     *
     * @return {@code true} if this call owns a COMMITTED claim; {@code false} if another committed
     *         attempt owns it or the object is DONE
     */
    public boolean commit() {
        try {
            return commit(false);
        } catch (InterruptedException e) {
            throw new AssertionError("an uninterruptible wait threw", e);
        }
    }

    /**
     * {@link #commit()}, waiting out an UNDOING or EXCLUSIVE owner interruptibly.
     *
     * @return as {@link #commit()}
     * @throws InterruptedException if interrupted while waiting; nothing was claimed
     */
    public boolean commitInterruptibly() throws InterruptedException {
        return commit(true);
    }

    private boolean commit(boolean interruptible) throws InterruptedException {
        for (;;) {
            int c = state;
            switch (c) {
                case OPEN:
                    if (STATE.compareAndSet(this, OPEN, COMMITTED)) {
                        attempt = new CompletableFuture<>(); // before the count leaves LIVE (invariant 5)
                        return true;
                    }
                    break;
                case TRYING:
                    if (STATE.compareAndSet(this, TRYING, COMMITTED)) {
                        return true; // a take-over: the attempt and its future go on
                    }
                    break;
                case UNDOING:
                case EXCLUSIVE:
                    if (interruptible) {
                        awaitAttempt();
                    } else {
                        awaitAttemptUninterruptibly();
                    }
                    break;
                default:
                    return false; // COMMITTED or DONE
            }
        }
    }

    /**
     * Waits for the current attempt to end (given back or DONE). Returns at once if there is none;
     * may return spuriously just before a claimant wrote its future: look again.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitAttempt() throws InterruptedException {
        CompletableFuture<Void> a = attempt;
        if (a.isDone()) {
            Thread.onSpinWait(); // a claimant between its CAS and its future's write: look again
            return;
        }
        try {
            a.get();
        } catch (ExecutionException e) {
            throw new AssertionError("an attempt's end is only ever completed normally", e);
        }
    }

    /** {@link #awaitAttempt()}, uninterruptibly; the interrupt status is kept. */
    public void awaitAttemptUninterruptibly() {
        CompletableFuture<Void> a = attempt;
        if (a.isDone()) {
            Thread.onSpinWait();
        } else {
            a.join();
        }
    }

    // ---------------------------------------------------------------- refusing and waiting

    /**
     * The owner ({@code owned}) refuses new callers: {@link UseCount#shutdown()}. A negative count is
     * handled as {@link #misuseFound}.
     *
     * @param owned the caller's claim value
     * @param operation names the public call in messages
     */
    public void refuse(int owned, String operation) {
        for (;;) {
            try {
                uses.shutdown();
                return;
            } catch (IllegalStateException misuse) { // the count is LIVE again (UseCount undid it)
                misuseFound(owned, operation, misuse);
            }
        }
    }

    /**
     * The owner of a try claim tries to retire the count at once: {@link UseCount#tryShutdown()}.
     * All or nothing: on {@code false} the count is as before and the claim is given back (or was
     * taken over: see {@link #state()} is then not {@code owned}).
     *
     * @param owned TRYING or EXCLUSIVE
     * @param operation names the public call in messages
     * @return {@code IDLE} (the count is DEAD; the claim is still the caller's unless taken over
     *         meanwhile, which {@link #finish} or {@link #seal} tells), {@code GIVEN_BACK} (busy:
     *         nothing changed) or {@code TAKEN_OVER} (busy, and a committer took over: it finishes)
     * @throws IllegalStateException on a stray release: the count is repaired, the claim given back
     */
    public Outcome tryRetire(int owned, String operation) {
        try {
            if (uses.tryShutdown()) {
                return Outcome.IDLE;
            }
        } catch (IllegalStateException misuse) { // the count is as before: LIVE
            misuseFound(owned, operation, misuse);
            throw new AssertionError("a try owner's misuse always throws", misuse);
        }
        // Busy: the count is LIVE as before, unless a committer took over and shut it down (GOING)
        if (STATE.compareAndSet(this, owned, UNDOING)) {
            giveBack();
            return Outcome.GIVEN_BACK;
        }
        return Outcome.TAKEN_OVER;
    }

    /**
     * After {@link #refuse}: waits for the calls in flight, per {@code mode} ({@code TRY}: does not
     * wait). The claim is untouched: on {@code false} the owner undoes or decides.
     *
     * @param mode how long to wait
     * @param nanos the timeout for {@code TIMED}
     * @return whether the count is DEAD
     * @throws InterruptedException if interrupted while waiting ({@code TIMED}, {@code FOREVER})
     */
    public boolean awaitRetired(Waits.Mode mode, long nanos) throws InterruptedException {
        if (mode == Waits.Mode.TRY) { // if, not an enum switch: no synthetic class (Lincheck cannot load one)
            return uses.state() == UseCount.State.DEAD || tryShutdownGoing();
        }
        if (mode == Waits.Mode.TIMED) {
            return uses.awaitTermination(nanos, TimeUnit.NANOSECONDS);
        }
        uses.awaitTermination();
        return true;
    }

    /** tryShutdown on a GOING count ends it if idle; a negative count shows as busy here. */
    private boolean tryShutdownGoing() {
        try {
            return uses.tryShutdown();
        } catch (IllegalStateException misuse) {
            return false; // the undo that follows cancels, then repairs (see undo)
        }
    }

    /** After {@link #refuse}: waits until the count is DEAD, uninterruptibly; the interrupt status is kept. */
    public void awaitRetiredUninterruptibly() {
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

    // ---------------------------------------------------------------- finishing and undoing

    /**
     * The owner found the count DEAD and keeps the attempt for good: {@code owned} to COMMITTED, so
     * nobody can take it over while it runs its irreversible steps.
     *
     * @param owned the caller's claim value
     * @return {@code false} if the attempt was taken over (the committer finishes)
     */
    public boolean seal(int owned) {
        return owned == COMMITTED || STATE.compareAndSet(this, owned, COMMITTED);
    }

    /**
     * Retires the object: {@code owned} to DONE (invariant 3), runs {@code retire} (the owner's last
     * step: removal from a registry or a table), ends the attempt and completes {@link #done()},
     * also if {@code retire} throws. The count must be DEAD.
     *
     * @param owned the caller's claim value
     * @param retire the owner's last step, before any waiter is woken
     * @return {@code false} if the attempt was taken over (the committer finishes and reports)
     */
    public boolean finish(int owned, Runnable retire) {
        if (!STATE.compareAndSet(this, owned, DONE)) {
            return false;
        }
        try {
            retire.run();
        } finally {
            attempt.complete(null);
            done.complete(null);
        }
        return true;
    }

    /**
     * The owner gives up: cancels its shutdown (the count LIVE again, in the same life), runs
     * {@code beforeCancel} first (a four-point unload's start: callers never see a stopped object),
     * and gives the claim back. A count found DEAD on the way (idle after all) leaves the attempt
     * standing, sealed.
     *
     * @param owned the caller's claim value
     * @param beforeCancel runs under UNDOING before new calls are let in; {@code null} for none
     * @return how the undo ended
     */
    public Outcome undo(int owned, Runnable beforeCancel) {
        if (!STATE.compareAndSet(this, owned, UNDOING)) {
            return Outcome.TAKEN_OVER; // only TRYING can be taken over (invariant 4)
        }
        boolean givenBack = false;
        try {
            if (beforeCancel != null) {
                beforeCancel.run();
            }
        } finally {
            if (uses.cancelShutdown() || uses.state() == UseCount.State.LIVE) {
                giveBack(); // LIVE again in the same life (or never left it): nothing changed
                givenBack = true;
            } else {
                state = COMMITTED; // release; this call owns UNDOING: the count went DEAD, the attempt stands
            }
        }
        return givenBack ? Outcome.GIVEN_BACK : Outcome.IDLE;
    }

    /**
     * The owner's count is DEAD and it undoes the attempt anyway (a reload whose factory failed):
     * runs {@code beforeReopen}, reopens the count (a new life) and gives the claim back.
     *
     * @param owned the caller's claim value, COMMITTED
     * @param beforeReopen runs under UNDOING before new calls are let in; {@code null} for none
     */
    public void revive(int owned, Runnable beforeReopen) {
        if (!STATE.compareAndSet(this, owned, UNDOING)) {
            throw new AssertionError("only a COMMITTED owner revives, and nobody takes it over");
        }
        try {
            if (beforeReopen != null) {
                beforeReopen.run();
            }
        } finally {
            uses.reopen(); // DEAD and ours: cannot fail
            giveBack();
        }
    }

    private void giveBack() {
        CompletableFuture<Void> a = attempt;
        state = OPEN; // release; pairs with the claimant's CAS; this call owns UNDOING
        a.complete(null);
    }

    // ---------------------------------------------------------------- misuse

    /**
     * A UseCount call of the owner found a negative count and left it LIVE. A try owner
     * (TRYING, EXCLUSIVE) repairs it under UNDOING, gives the claim back and throws; one taken over
     * throws without repairing (the committer finds the same count). A COMMITTED owner repairs,
     * logs and returns, and the caller retries.
     *
     * @param owned the caller's claim value
     * @param operation names the public call in messages
     * @param misuse what the UseCount threw
     * @throws IllegalStateException unless {@code owned} is COMMITTED
     */
    public void misuseFound(int owned, String operation, IllegalStateException misuse) {
        if (owned == COMMITTED) {
            long added = uses.repair(); // exclusive: this call owns COMMITTED (invariant 6)
            log.log(System.Logger.Level.WARNING, () -> operation + " on " + subject.get() + " found more release() "
                    + "calls than successful acquires: a release() without a use in progress. Repaired the count ("
                    + added + " added) and going on.", misuse);
            return;
        }
        if (STATE.compareAndSet(this, owned, UNDOING)) { // exclusive: nobody can take over now
            try {
                uses.repair(); // adds exactly the missing acquires (invariant 6)
            } finally {
                giveBack();
            }
        }
        throw misuseException(operation, misuse);
    }

    /**
     * A stray release found where an exclusive owner acts on several counts at once (a group): the
     * owner repairs this one, still holding its claim.
     *
     * @return the acquires added
     */
    public long repairExclusive() {
        return uses.repair();
    }

    /**
     * The exception a try owner throws on a stray release.
     *
     * @param operation names the public call
     * @param misuse what the UseCount threw
     * @return the exception to throw
     */
    public IllegalStateException misuseException(String operation, IllegalStateException misuse) {
        return new IllegalStateException(operation + " on " + subject.get() + " found more release() calls than "
                + "successful acquires: a release() without a use in progress. The count was repaired and nothing "
                + "else changed; try again.", misuse);
    }

    /**
     * Gives back an EXCLUSIVE claim whose count is LIVE, or reopens a DEAD one first (a group's
     * attempt that changed nothing).
     *
     * @param reopen whether the count is DEAD and must be reopened
     */
    public void release(boolean reopen) {
        if (reopen) {
            uses.reopen(); // DEAD and ours: cannot fail
        }
        giveBack();
    }

    @Override
    public String toString() {
        return "UnloadClaim[" + new String[] {"OPEN", "TRYING", "UNDOING", "COMMITTED", "DONE", "EXCLUSIVE"}[state]
                + ", " + uses.state() + "]";
    }

    // VarHandle mechanics
    private static final VarHandle STATE = VarHandles.field(MethodHandles.lookup(), "state", int.class);
}
