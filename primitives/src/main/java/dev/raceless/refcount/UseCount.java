package dev.raceless.refcount;

import dev.raceless.internal.Stalls;
import dev.raceless.internal.Stripes;
import dev.raceless.internal.VarHandles;
import dev.raceless.internal.Waits;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static dev.raceless.refcount.StateWord.DEAD;
import static dev.raceless.refcount.StateWord.GOING;
import static dev.raceless.refcount.StateWord.LIVE;
import static dev.raceless.refcount.StateWord.OPENING;
import static dev.raceless.refcount.StateWord.TRYING;
import static dev.raceless.refcount.StateWord.isClosing;
import static dev.raceless.refcount.StateWord.isDead;
import static dev.raceless.refcount.StateWord.next;
import static dev.raceless.refcount.StateWord.phase;

/**
 * A striped use count whose {@link #tryAcquire()} fails once unloading has begun, with exact
 * detection of the last release: the module use count of the 2002 "raceless module interface"
 * thread, for the JVM.
 *
 * <p>A count is in one of three states: {@link State#LIVE LIVE} (uses may be taken),
 * {@link State#GOING GOING} (unloading: no new use may be taken, uses held may still be handed on
 * and are released one by one) and {@link State#DEAD DEAD} (no use is held and none can be taken in
 * this life). The release that empties a {@code GOING} count makes it {@code DEAD} and completes
 * {@link #termination()}. {@link #reopen()} starts a new life.
 *
 * <p><b>The rule.</b> A use is taken by announcing it and then reading the state; a shutdown writes
 * the state and then counts every announcement. At least one side sees the other: either the
 * taker sees {@code GOING} and backs out, or the count sees the use.
 *
 * <p><b>Read side.</b> A use is announced per the JVM's {@link ReadSide}: {@link ReadSide#FENCED
 * FENCED}, an atomic add on a padded stripe cell; {@link ReadSide#ASYMMETRIC ASYMMETRIC}, a release
 * store to the calling thread's own slot, made visible by a {@code membarrier} on every path that
 * decides on the count ({@code docs/read-side.md}). A use may be released on another thread:
 * releases are summed first, so the count never reads zero while a use is held.
 *
 * <p><b>Unloading.</b> {@link #shutdown()} moves a live count to {@code GOING} at once: every
 * {@code tryAcquire()} that starts after {@code shutdown()} returned fails (until a
 * {@link #cancelShutdown()} or {@link #reopen()}); there is no window of grace as in Linux's
 * {@code percpu_ref_kill}. {@link #tryShutdown()} is all or nothing: it either leaves the count
 * {@code DEAD} or leaves it {@code LIVE} exactly as it was. While it runs, racing
 * {@code tryAcquire()} calls may fail spuriously (the module "could briefly disappear"); retrying
 * is always safe.
 *
 * <p><b>Hand-off.</b> A holder may take another use with {@link #retain()} (Linux's
 * {@code __module_get}, Netty's {@code ReferenceCounted.retain()}) and pass it on: it never waits,
 * and never fails while a use is held, even while {@code GOING}: that is how a call already running
 * finishes its work.
 *
 * <p><b>Progress.</b> {@code tryAcquire()}, {@code retain()} and {@code release()} are wait-free
 * and allocate nothing; while {@code LIVE} each is one atomic add (FENCED) or one store (ASYMMETRIC)
 * and one read of the state. While {@code GOING} a release also sums the stripes (O(stripes)).
 * {@code shutdown()}, {@code tryShutdown()} and {@code reopen()} are lock-free. The {@code await}
 * methods park, without monitors: virtual threads are not pinned.
 *
 * <p><b>Memory consistency effects.</b> Actions in a thread prior to calling {@code release()}
 * happen-before the completion of {@link #termination()} for that life, the return of
 * {@link #awaitTermination()} and a {@code true} result of {@link #tryShutdown()}. Actions prior
 * to {@code shutdown()} happen-before every failed {@code tryAcquire()} that observed it.
 * Checked by the jcstress tests {@code TryAcquireVsShutdown}, {@code TryAcquireVsTryShutdown},
 * {@code TwoLastReleases}, {@code HandOffDuringGoing}, {@code AwaitTerminationWakes} and
 * {@code WarmTryAcquireVsShutdown} (module {@code stress-tests}, both read-side flavours), and by
 * {@code HandOffAcrossStripesStress}.
 *
 * <p><b>Linearizability.</b> Every operation takes effect at one instant between its call and its
 * return, except for three transients that end without anyone's help: a racing
 * {@code tryShutdown()} and {@code tryAcquire()} may both fail; {@link #state()} may report
 * {@code GOING} with no use held while a shutdown of an idle count is counting; a shutdown that
 * counted a failing {@code tryAcquire()}'s tentative use returns with the count {@code GOING}
 * until that call backs out ({@code UseCountLincheckTest}, {@code docs/use-count.md}).
 *
 * <p><b>Not guaranteed.</b> {@link #estimate()} is not an atomic snapshot. Detection of a release
 * without a matching acquire ({@link #release()}) is best effort: a surplus release while another
 * caller holds a use cannot be told from the holder's own. A use handed on with {@link #retain()}
 * must reach its new owner through a happens-before edge (any safe publication).
 *
 * <p><b>Sample usage.</b> A subsystem calling into a module that may be unloaded:
 * <pre> {@code
 * class Module {
 *   final UseCount uses = new UseCount();
 *
 *   Result call(Request r) {
 *     if (!uses.tryAcquire())
 *       return Result.GONE;          // unloading: behave as if not registered
 *     try {
 *       return serve(r);
 *     } finally {
 *       uses.release();
 *     }
 *   }
 *
 *   boolean tryUnload() {            // never blocks
 *     if (!uses.tryShutdown())
 *       return false;                // busy: nothing changed
 *     freeEverything();              // no call is running and none can start
 *     return true;
 *   }
 * }}</pre>
 */
public final class UseCount extends CountCells {
    /*
     * Implementation notes.
     *
     * Design goal: the cheapest tryAcquire/release pair that still gives a zero test one can free
     * memory on (LongAdder's sum is not one; AtomicLong puts every user on one line; percpu_ref's
     * tryget succeeds until the kill is confirmed after a grace period). The state word makes
     * tryAcquire fail the moment shutdown returns; the Piggin-safe stripe sum finds the exact zero.
     *
     * State word (state, a volatile long; layout in StateWord): a sequence number and a phase.
     *
     *   LIVE --shutdown--> GOING --last release / shutdown's own count--> DEAD
     *   LIVE --tryShutdown--> TRYING --count is zero--> DEAD
     *                         TRYING --busy--> LIVE (rollback)
     *                         TRYING --shutdown--> GOING (commits it)
     *   GOING --cancelShutdown--> LIVE (same life)
     *   DEAD --reopen--> OPENING --> LIVE (next life)
     *
     * Counts: see CountCells (stripes or owned slots, monotonic ups and downs, downs summed first).
     *
     * Invariants:
     *   1. With correct use, pending() >= the number of uses held (never a false zero).
     *   2. Only a CAS from a TRYING or GOING word w to DEAD ends a life, and it is made only by a
     *      thread that read w before counting pending() == 0.
     *   3. The termination future of a life is installed before the life's LIVE word is
     *      published and is not replaced until the life is DEAD.
     *   4. A tryAcquire returns true only if it read LIVE after its up became visible.
     *
     * Proof sketches (written once, in docs/use-count.md, "Proof sketches"): tryAcquire vs
     * shutdown in both flavours (TryAcquireVsShutdown, WarmTryAcquireVsShutdown, AsymmetricDekker),
     * no false zero with hand-off (HandOffAcrossStripesStress, HandOffDuringGoing), exactly one
     * completion (TwoLastReleases), all-or-nothing tryShutdown (TryAcquireVsTryShutdown,
     * TryShutdownVsIdleShutdown, TryShutdownVsCancel) and happens-before for termination. They
     * rest on invariants 1-4; a change that touches one of them changes the design note too.
     *
     * Beside this class: CountCells (the counting), StateWord (the word's layout), LocalView
     * (UseCount.Local), GroupShutdown (tryShutdownAll), Corruption (misuse and repair),
     * TerminationWait (waits, stall reports, JFR) and UseTracker (debug tracking).
     *
     * Rejected designs: docs/use-count.md, "Design decisions". Order of this file: public API,
     * slow paths, accessors for the helpers, VarHandle mechanics.
     */

    /** The life cycle of a use count. */
    public enum State {
        /** Uses may be taken. */
        LIVE,
        /** Unloading has begun (or a {@code tryShutdown} is counting): no new use can be taken. */
        GOING,
        /** No use is held and none can be taken in this life. */
        DEAD
    }

    /**
     * System property that turns on exact tracking of every use (with the stack that took it): a
     * release or hand-off with no use held then throws at the faulty call. Off by default: free.
     */
    public static final String DEBUG_PROPERTY = "dev.raceless.refcount.debug";
    private static final boolean DEBUG = Boolean.getBoolean(DEBUG_PROPERTY);
    static final Stalls DEFAULT_STALLS = Stalls.defaults("dev.raceless.refcount");

    /** Non-null only with the debug property. */
    final UseTracker tracker = DEBUG ? new UseTracker() : null;
    /** System.nanoTime() of the last shutdown or tryShutdown that began an end (JFR). */
    private long shutdownAt;
    /** Stall threshold and reporter of this count; null: DEFAULT_STALLS (nothing per count). */
    volatile Stalls stalls;
    /** Whether a corruption (more releases than acquires) was logged already (Corruption). */
    volatile boolean corruptionReported;
    /** The state word; see the implementation notes. */
    private volatile long state;
    /** This life's termination; replaced only by reopen, while the phase is OPENING. */
    private volatile CompletableFuture<Void> termination = new CompletableFuture<>();

    /** Creates a live count with no use held, with a stripe count chosen from the CPU count. */
    public UseCount() {
        this(Stripes.defaultStripes());
    }

    /**
     * Creates a live count with no use held.
     *
     * @param stripes the number of stripes, a positive power of two
     * @throws IllegalArgumentException if {@code stripes} is not a positive power of two
     */
    public UseCount(int stripes) {
        super(stripes);
    }

    // ---------------------------------------------------------------- taking and releasing

    /**
     * Takes a use if the count is {@code LIVE}. Never blocks. Failure is definitive when it follows
     * a {@link #shutdown()} that has returned; while a {@link #tryShutdown()} runs it may be
     * spurious (the count may be {@code LIVE} again a moment later).
     *
     * @return {@code true} if a use was taken; the caller must {@link #release()} it
     */
    public boolean tryAcquire() {
        up(); // FENCED: xadd, a full fence. ASYMMETRIC: release store; the counter's heavy barrier fences it (Dekker)
        return afterUp();
    }

    /** The rest of a tryAcquire after its up: keep the use if LIVE, else back out. */
    boolean afterUp() {
        if (phase(state) == LIVE) { // pairs with the CAS to TRYING/GOING in (try)shutdown
            if (DEBUG) {
                tracker.taken();
            }
            return true;
        }
        backOut();
        return false;
    }

    /**
     * Takes another use on behalf of a caller that already holds one, for example to hand a call
     * in progress on to another thread; the use is released with {@link #release()} like any
     * other. Never waits: legal while {@code LIVE} or {@code GOING} (a count with a use held cannot
     * be {@code DEAD}), so it does not fail for a caller that holds a use. Wait-free; allocates
     * nothing.
     *
     * @throws IllegalStateException if the count is {@code DEAD}, which proves that the caller
     *         holds no use (with {@value #DEBUG_PROPERTY}: if no use is held at all); the count is
     *         left as it was
     */
    public void retain() {
        if (DEBUG) {
            tracker.checkHandOff();
        }
        up(); // see tryAcquire
        int ph = phase(state);
        if (ph == DEAD || ph == OPENING) {
            backOut();
            throw Corruption.retainOnDead();
        }
    }

    /**
     * The former name of {@link #retain()} (an {@code acquire()} in {@code java.util.concurrent} waits).
     *
     * @deprecated use {@link #retain()}
     */
    @Deprecated
    public void acquire() {
        retain();
    }

    /**
     * Drops a use. The release that empties a {@code GOING} count makes it {@code DEAD} and
     * completes {@link #termination()}.
     *
     * @throws IllegalStateException if the caller released a use it did not hold, as seen when the
     *         count is {@code DEAD} at the call, or goes negative while not {@code LIVE}, or (with
     *         {@value #DEBUG_PROPERTY}) has no use held; the count is left as it was
     */
    public void release() {
        beforeDown();
        down(); // xadd, or a release store the counter's heavy barrier fences; then read the state
        afterDown();
    }

    /** The misuse checks of a release, before its down: they leave the count as it was. */
    void beforeDown() {
        if (isDead(state)) { // before the down: a holder's own life cannot be DEAD, so this is misuse
            throw Corruption.releaseOnDead();
        }
        if (DEBUG) {
            tracker.checkRelease();
        }
    }

    /** The rest of a release after its down: a release that finds the count closing may end it. */
    void afterDown() {
        long s = state;
        if (phase(s) != LIVE) {
            releaseSlow(s);
        }
    }

    // ---------------------------------------------------------------- a thread's own view

    /**
     * A view of this count for the calling thread, which finds the thread's slot once (see
     * {@link Local}). Keep it where only that thread reaches it (a local variable of a worker loop),
     * as with {@link java.util.concurrent.ThreadLocalRandom#current()}; make it outside the hot loop.
     *
     * @return a view confined to the calling thread
     * @see Local
     */
    public Local local() {
        return new Local(this);
    }

    /**
     * A thread's own view of a {@link UseCount}, made by {@link UseCount#local()}: the count's
     * {@code tryAcquire()} and {@code release()}, with the thread's slot (FENCED: its stripe cell)
     * found once. On a virtual thread (or past 65,536 platform threads counting at once), it calls
     * the count. Its uses are the count's: a shutdown waits for them, and either may take or drop
     * them; the ordering is the count's own (jcstress {@code LocalTryAcquireVsShutdown}).
     *
     * <p>Confined: every method throws {@link IllegalStateException} when called from another
     * thread than the one that made it, and leaves the count as it was. It holds its thread.
     */
    public static final class Local extends LocalView {
        Local(UseCount count) {
            super(count);
        }
    }

    // ---------------------------------------------------------------- shutting down

    /**
     * Begins unloading: moves a {@code LIVE} count to {@code GOING}, and on to {@code DEAD} before
     * returning when no use is held. Idempotent; never blocks. Every {@link #tryAcquire()} that
     * starts after this method returned fails (until a {@link #cancelShutdown()} or a
     * {@link #reopen()}). A shutdown racing a {@code reopen()} may find the old life still
     * {@code DEAD} and do nothing: it is ordered before the reopen.
     *
     * @throws IllegalStateException if the count is found negative (a release without a matching
     *         acquire happened earlier); the count is then left {@code LIVE}, as it was
     */
    public void shutdown() {
        for (;;) {
            long s = state;
            int ph = phase(s);
            if (ph != LIVE && ph != TRYING) {
                return; // GOING, DEAD, OPENING (logically DEAD): nothing to do
            }
            // From TRYING this commits a tryShutdown in progress (its word is gone): count here
            long g = next(s, GOING);
            shutdownAt = System.nanoTime(); // JFR only; published by the CAS to whoever ends the life
            if (casState(s, g)) {
                if (finishIfZero(g) < 0) {
                    casState(g, next(g, LIVE)); // undo; fails only if the count moved on
                    throw Corruption.negativeCount(this, "shutdown()");
                }
                return;
            }
        }
    }

    /**
     * Unloads if no use is held, all or nothing. Never blocks. Returns {@code true} if the count is
     * {@code DEAD} at the instant this call takes effect (on the life it counts, which may be one a
     * racing {@link #reopen()} started). Returns {@code false} if a use was held: a {@code LIVE}
     * count is left exactly as it was, a {@code GOING} one stays {@code GOING}. {@code false} may be
     * spurious (a racing {@code tryAcquire()} that backed out counts as busy for its instant), and
     * racing {@code tryAcquire()} calls may fail spuriously.
     *
     * @return whether the count is {@code DEAD} at the instant this call takes effect
     * @throws IllegalStateException if the count is found negative (a release without a matching
     *         acquire happened earlier); the count is left as it was
     */
    public boolean tryShutdown() {
        for (;;) {
            long s = state;
            switch (phase(s)) {
                case LIVE: {
                    long t = next(s, TRYING);
                    shutdownAt = System.nanoTime(); // JFR only; published by the CAS
                    if (!casState(s, t)) {
                        continue;
                    }
                    long pending = count(); // downs before ups: never a false zero
                    if (pending == 0 && endLife(t)) {
                        return true; // this call ended the life
                    }
                    if (pending != 0 && casState(t, next(t, LIVE))) { // busy: roll back, nothing changed
                        if (pending < 0) {
                            throw Corruption.negativeCount(this, "tryShutdown()");
                        }
                        return false;
                    }
                    // t is gone (to DEAD, or to GOING by a shutdown()): a zero counted on it proves
                    // nothing; act on the state read again (docs/use-count.md, proof 4)
                    if (isDead(state)) {
                        return true;
                    }
                    continue;
                }
                case TRYING: // another tryShutdown is counting: count too, never wait for it
                case GOING: {
                    long pending = count();
                    if (pending < 0) {
                        throw Corruption.negativeCount(this, "tryShutdown()");
                    }
                    if (pending > 0) {
                        return isDead(state); // a use is held: GOING stays GOING (TRYING is the other call's)
                    }
                    // Zero: end the life of s, or, if s is gone (maybe to LIVE by a cancel), act on
                    // the state read again (TryShutdownVsCancel)
                    if (endLife(s) || isDead(state)) {
                        return true;
                    }
                    continue;
                }
                default: // DEAD, OPENING (logically DEAD)
                    return true;
            }
        }
    }

    /**
     * The way out of a corrupted count (more releases than acquires, which {@link #shutdown()} and
     * {@link #tryShutdown()} report by throwing): adds the missing acquires and returns how many.
     * Call it once the count was reported corrupted and no stray release can still be running; a
     * shutdown that threw can then be retried. A use that disappeared while held (a stray release
     * while another caller held one) cannot be repaired: {@value #DEBUG_PROPERTY} catches it.
     *
     * @return the number of acquires added; 0 if the count was not found negative
     */
    public long repair() {
        return Corruption.repair(this);
    }

    /**
     * {@link #tryShutdown()} on several counts at once, all or nothing, paying the read side's heavy
     * barrier once for all of them (a group deregistered together). Never blocks. Returns
     * {@code false} if a count was not {@code LIVE} or a use was held on any: then every count this
     * call moved is {@code LIVE} again (in a new life if a racing last release ended it in between).
     * The caller must be the only one shutting these counts down meanwhile, as a group's claim on
     * its members guarantees. {@code false} may be spurious, as for {@code tryShutdown()}.
     *
     * @param counts the counts, each at most once
     * @return whether all are {@code DEAD}
     * @throws IllegalStateException if a count is found negative (a release without a matching
     *         acquire); every count is then left as this call found it
     */
    public static boolean tryShutdownAll(List<UseCount> counts) {
        return GroupShutdown.tryShutdownAll(counts);
    }

    /**
     * Undoes a {@link #shutdown()} that has not finished: moves a {@code GOING} count with uses
     * still held back to {@code LIVE}, in the same life ("calls start again" after a stop that lost
     * the race, as timed unloads that give up need). Never blocks. A {@code GOING} count with no use
     * held is not revived: this call ends its life and returns {@code false}, as if the shutdown had
     * finished first (jcstress {@code CancelVsIdleShutdown}). Costs a count: O(stripes), and in the
     * ASYMMETRIC flavour one heavy barrier.
     *
     * @return {@code true} if the count was {@code GOING} with a use held and is {@code LIVE}
     *         again; {@code false} if it was not {@code GOING}, or if no use was held: then the
     *         count is {@code DEAD} and the shutdown stands, unless another
     *         {@code cancelShutdown()} or a {@code reopen()} raced this call (a caller that owns the
     *         shutdown, as a timed unload does, has none)
     */
    public boolean cancelShutdown() {
        for (;;) {
            long s = state;
            if (phase(s) != GOING) {
                return false;
            }
            if (finishIfZero(s) == 0) { // idle: in the contract DEAD already; ended here or by another
                return false;
            }
            if (casState(s, next(s, LIVE))) { // a finisher holding the GOING word now fails its CAS
                return true;
            }
        }
    }

    // ---------------------------------------------------------------- waiting

    /**
     * A future completed when the life current at this call becomes {@code DEAD}; completing or
     * cancelling it does not affect this count.
     *
     * @return a copy of this life's termination future
     */
    public CompletableFuture<Void> termination() {
        return currentTermination().copy();
    }

    /**
     * Waits until the life current at this call is {@code DEAD}. Parks; does not pin a virtual thread.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitTermination() throws InterruptedException {
        TerminationWait.await(this, currentTermination(), Long.MAX_VALUE);
    }

    /**
     * Waits at most {@code timeout} until the life current at this call is {@code DEAD}.
     *
     * @param timeout the longest time to wait
     * @param unit the unit of {@code timeout}
     * @return {@code true} if it is dead, {@code false} if the time ran out first
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = Waits.timeoutNanos(timeout, unit);
        CompletableFuture<Void> f = currentTermination();
        return f.isDone() || TerminationWait.await(this, f, nanos);
    }

    /**
     * Sets when an {@code awaitTermination} that lasts is reported: once per wait, after
     * {@code threshold}, through {@code reporter}, naming the count, the waiting thread, how long it
     * has waited and, with {@value #DEBUG_PROPERTY}, every use held with the stack that took it.
     * Default: 10 s (system property {@value dev.raceless.internal.Stalls#PROPERTY}, milliseconds), a WARNING
     * through the {@link System.Logger} {@code dev.raceless.refcount}.
     *
     * @param threshold how long a wait may last before it is reported
     * @param unit the unit of {@code threshold}
     * @param reporter receives each report, on the waiting thread; it should not block
     * @throws IllegalArgumentException if {@code threshold} is not positive
     */
    public void reportStalls(long threshold, TimeUnit unit, Consumer<String> reporter) {
        stalls = Stalls.of(threshold, unit, reporter, "dev.raceless.refcount");
    }

    // ---------------------------------------------------------------- reopening

    /**
     * Starts a new life: moves a {@code DEAD} count to {@code LIVE} with no use held. Nothing from
     * the old life (a late back-out, a stale completion) affects the new one.
     *
     * @return {@code true} if this call reopened the count; {@code false} if it was not
     *         {@code DEAD} (or another reopen won)
     */
    public boolean reopen() {
        return reopen(false);
    }

    /**
     * Starts a new life with one use held by the caller: {@link #reopen()} and a
     * {@link #tryAcquire()} with nothing between them, so no shutdown of the new life finds it idle
     * before the caller's {@link #release()} (jcstress {@code ReopenAndAcquireVsTryShutdown}; the
     * two calls apart, {@code BrokenReopenThenAcquire} shows a shutdown in between).
     *
     * @return {@code true} if this call reopened the count and holds a use of the new life;
     *         {@code false} if it was not {@code DEAD} (or another reopen won): no use is taken
     */
    public boolean reopenAndAcquire() {
        return reopen(true);
    }

    private boolean reopen(boolean withUse) {
        long s = state;
        if (phase(s) != DEAD) {
            return false;
        }
        CompletableFuture<Void> next = new CompletableFuture<>(); // allocate before claiming OPENING
        long o = next(s, OPENING);
        if (!casState(s, o)) {
            return false;
        }
        termination = next; // invariant 3: installed before LIVE is published
        try {
            if (withUse) {
                up(); // before LIVE is published, so before any count of the new life (proof 7)
            }
        } finally {
            state = next(o, LIVE); // never left OPENING, even if the up threw
        }
        if (withUse && DEBUG) {
            tracker.taken();
        }
        return true;
    }

    // ---------------------------------------------------------------- inspection

    /**
     * The current state. A {@code tryShutdown()} in progress reports {@code GOING}, and so may an
     * idle count while a shutdown or a failing {@code tryAcquire()} is still counting (the
     * transients of "Linearizability" above): wait for {@link #termination()} rather than poll.
     *
     * @return {@code LIVE}, {@code GOING} or {@code DEAD}
     */
    public State state() {
        return StateWord.reported(state);
    }

    /**
     * Whether the count is {@code LIVE} now: one volatile read, no use taken, so a {@code true} may
     * be stale at once; for a caller with another protection (a {@code ModuleLoader} call by a
     * reader of its {@code QuiescentDomain}: docs/loader.md, "Quiescent mode").
     *
     * @return {@code true} if the state word read {@code LIVE}
     */
    public boolean isLive() {
        return phase(state) == LIVE; // volatile read; pairs with the CAS that moves the word off LIVE
    }

    /**
     * The number of uses held. Not an atomic snapshot: with uses in flight it may be too large
     * (never too small under correct use); negative only after misuse.
     *
     * @return acquires minus releases, releases summed first
     */
    public long estimate() {
        return sum();
    }

    /**
     * The number of shared stripes (used by every thread in FENCED, by virtual threads in ASYMMETRIC).
     *
     * @return the number of stripes
     */
    public int stripes() {
        return SLOTS ? slots.stripes() : stripes.stripes();
    }

    /** {@return the read-side flavour this count uses, the JVM's (see {@link ReadSide})} */
    public static ReadSide readSide() {
        return ReadSide.active();
    }

    @Override
    public String toString() {
        return "UseCount[" + state() + ", ~" + estimate() + " held, " + stripes() + " stripes, "
                + (SLOTS ? slots.slotCount() : 0) + " thread slots, " + ReadSide.active() + "]";
    }

    // ---------------------------------------------------------------- slow paths

    /** Undoes a failed tryAcquire's up; it may be the last down of a GOING count, never misuse. */
    private void backOut() {
        down();
        long s = state;
        if (isClosing(s)) {
            finishIfZero(s);
        }
    }

    /**
     * A release that found the count not LIVE: maybe the last one, maybe misuse. Finding DEAD is
     * not misuse by itself (a finisher may have counted this down in between: ReleaseVsShutdown);
     * only a negative count proves a release without an acquire.
     */
    private void releaseSlow(long s) {
        long pending = isClosing(s) ? finishIfZero(s) : count();
        if (pending < 0) {
            up(); // compensate: leave the count as it was
            throw Corruption.negativeCount(this, "release()");
        }
    }

    /**
     * Counts the uses held and, if none, ends the life of the TRYING or GOING word {@code s} (any
     * number of threads may: one CAS to DEAD succeeds). Returns the count: 0, positive if busy,
     * negative after misuse.
     */
    private long finishIfZero(long s) {
        long pending = count(); // downs before ups: never a false zero
        if (pending == 0) {
            endLife(s);
        }
        return pending;
    }

    /** Ends the life of the TRYING or GOING word {@code s} after a zero count; false if s is gone. */
    boolean endLife(long s) {
        CompletableFuture<Void> f = termination; // read before the CAS: invariant 3
        if (casState(s, next(s, DEAD))) {
            f.complete(null);
            TerminationWait.recordTermination(this, shutdownAt);
            return true;
        }
        return false;
    }

    private CompletableFuture<Void> currentTermination() {
        for (;;) {
            long s = state;
            CompletableFuture<Void> f = termination;
            if (phase(s) != OPENING && state == s) { // seqlock-style: f belongs to the life of s
                return f;
            }
            Thread.onSpinWait(); // a reopen is between its two writes
        }
    }

    // ---------------------------------------------------------------- for the helpers beside this class

    long stateWord() {
        return state;
    }

    boolean casState(long expected, long update) {
        return STATE.compareAndSet(this, expected, update);
    }

    // VarHandle mechanics
    private static final VarHandle STATE = VarHandles.field(MethodHandles.lookup(), "state", long.class);
}
