package dev.raceless.refcount;

import dev.raceless.internal.Flavour;
import dev.raceless.internal.ReaderCounts;
import dev.raceless.internal.Stalls;
import dev.raceless.internal.jfr.StallEvent;
import dev.raceless.internal.jfr.TerminationEvent;
import jdk.jfr.EventType;
import dev.raceless.internal.Stripes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

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
 * <p><b>Read side.</b> How a use is announced depends on the JVM's {@link ReadSide}, fixed for the
 * life of the JVM. {@link ReadSide#FENCED FENCED}: one atomic add on a cell of the caller's stripe
 * (chosen from its thread id, padded to 128 bytes), a full fence, in and out.
 * {@link ReadSide#ASYMMETRIC ASYMMETRIC}: a platform thread writes a slot of this count that it
 * owns, with a release store and no fence; every path that decides on the count ({@code shutdown},
 * {@code tryShutdown}, a release or back-out that finds the count closing) first runs
 * {@code membarrier}, which makes those stores visible (see {@code docs/read-side.md}). Virtual
 * threads always use the shared stripes. A use may be released on a different thread, and so on a
 * different stripe or slot, from the one that took it: the count keeps separate monotonic totals
 * of acquires and releases and sums all releases before all acquires, so it never reads zero
 * while a use is held.
 *
 * <p><b>Unloading.</b> {@link #shutdown()} moves a live count to {@code GOING} at once: every
 * {@code tryAcquire()} that starts after {@code shutdown()} returned fails (until a
 * {@link #cancelShutdown()} or {@link #reopen()}). There is no window of
 * grace as in Linux's {@code percpu_ref_kill}. {@link #tryShutdown()} is all or nothing: it either
 * leaves the count {@code DEAD} or leaves it {@code LIVE} exactly as it was. While it runs,
 * {@code tryAcquire()} calls racing with it may fail spuriously: the module "could briefly
 * disappear", as the 2002 "raceless module interface" discussion this library starts from
 * accepts; retrying is always safe.
 *
 * <p><b>Hand-off.</b> A holder may pass a use on with {@link #acquire()}, which never fails while a
 * use is held, even while {@code GOING}: that is how a call already running finishes its work.
 *
 * <p><b>Progress.</b> {@code tryAcquire()}, {@code acquire()} and {@code release()} are wait-free
 * and allocate nothing; in the {@code LIVE} state each is one atomic add on the caller's stripe
 * (FENCED) or one store to the caller's own slot (ASYMMETRIC) and one read of the state. While {@code GOING}, a release also sums all stripes (O(stripes)) to find
 * out whether it was the last. {@code shutdown()}, {@code tryShutdown()} and {@code reopen()} are
 * lock-free. The {@code await} methods park; they never use monitors, so virtual threads are not
 * pinned.
 *
 * <p><b>Memory consistency effects.</b> Actions in a thread prior to calling {@code release()}
 * happen-before the completion of {@link #termination()} for that life, the return of
 * {@link #awaitTermination()} and a {@code true} result of {@link #tryShutdown()}. Actions prior
 * to {@code shutdown()} happen-before every failed {@code tryAcquire()} that observed it.
 * These claims are checked by the jcstress tests {@code TryAcquireVsShutdown},
 * {@code TryAcquireVsTryShutdown}, {@code TwoLastReleases}, {@code HandOffDuringGoing},
 * {@code AwaitTerminationWakes} and, on an already-owned slot, {@code WarmTryAcquireVsShutdown}
 * (module {@code stress-tests}; all run in both read-side flavours, and {@code AsymmetricDekker}
 * checks the asymmetric fence pair itself), and by the multi-threaded
 * {@code HandOffAcrossStripesStress}.
 *
 * <p><b>Linearizability.</b> Against the three-state machine above (a shutdown of an idle count
 * goes straight to {@code DEAD}; the release that empties a {@code GOING} count makes it
 * {@code DEAD}; {@code tryShutdown()} is all or nothing; {@code cancelShutdown()} takes a
 * {@code GOING} count with a use held back to {@code LIVE}; {@code reopen()} starts a new life
 * from {@code DEAD}), every operation takes effect at one instant between its call and its
 * return, except for three transients, each of which lasts only while another call is in
 * progress and ends without anyone's help:
 * <ol>
 * <li>a {@code tryShutdown()} and a {@code tryAcquire()} that race each other may both fail (the
 *     tentative use is counted as busy; {@code TRYING} refuses the taker);</li>
 * <li>while a {@code shutdown()} of an idle count runs, {@link #state()} may report
 *     {@code GOING} with no use held;</li>
 * <li>a {@code shutdown()} that counted the tentative use of a racing {@code tryAcquire()} that
 *     then fails returns with the count {@code GOING}; that {@code tryAcquire()}'s back-out makes
 *     it {@code DEAD} before it returns. Until then {@code state()} reports {@code GOING},
 *     {@code reopen()} returns {@code false}, and a {@code cancelShutdown()} (which cannot tell
 *     the tentative use from a held one) takes it back to {@code LIVE}.</li>
 * </ol>
 * The Lincheck test {@code UseCountLincheckTest} checks the state machine with these transients
 * made explicit, and {@code BrokenUseCountLincheckTest} shows that the check catches a count that
 * reads its state before announcing a use.
 *
 * <p><b>Not guaranteed.</b> {@link #estimate()} is not an atomic snapshot. A release without a
 * matching acquire is detected when it finds the count {@code DEAD} or makes it negative while
 * it is not {@code LIVE} (it throws {@link IllegalStateException} and leaves the count as it
 * was). Detection is best effort: a surplus release by one caller while another holds a use cannot be told apart from
 * the holder's own release, and may end the life while that holder still holds its use. A use
 * handed on with {@link #acquire()} must reach its new owner through a happens-before edge (any
 * safe publication), as any object handed between threads must.
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
public final class UseCount {
    /*
     * Implementation notes.
     *
     * Design goal: the cheapest possible tryAcquire/release pair that still gives a zero test one
     * can free memory on. LongAdder is fast but its sum is not a zero test; AtomicLong is exact
     * but every user hits one line; percpu_ref is both but tryget keeps succeeding until the kill
     * is confirmed after a grace period. Here the state word makes tryAcquire fail the moment
     * shutdown returns, and the Piggin-safe stripe sum (internal.Stripes) finds the exact zero.
     *
     * State word (state, a volatile long):
     *
     *   bits 63..3  seq    incremented by every transition, so a word is never seen twice (no ABA)
     *   bits  2..0  phase  LIVE=0, TRYING=1, GOING=2, DEAD=3, OPENING=4
     *
     *   LIVE     uses may be taken
     *   TRYING   tryShutdown is counting; reported as GOING; may roll back to LIVE
     *   GOING    shutdown committed; cannot roll back
     *   DEAD     this life is over; termination completed
     *   OPENING  reopen is installing the next life's future; reported as DEAD
     *
     *   LIVE --shutdown--> GOING --last release / shutdown's own count--> DEAD
     *   LIVE --tryShutdown--> TRYING --count is zero--> DEAD
     *                         TRYING --busy--> LIVE (rollback)
     *                         TRYING --shutdown--> GOING (commits it)
     *   GOING --cancelShutdown--> LIVE (same life)
     *   DEAD --reopen--> OPENING --> LIVE (next life)
     *
     * Counts: stripes (FENCED: internal.Stripes, used directly so the hot path has no extra
     * indirection) or slots (ASYMMETRIC: internal.ReaderCounts, owned slots plus shared stripes
     * for virtual threads) hold monotonic totals of ups (acquires, including tryAcquire's tentative up) and downs (releases
     * and back-outs). count() = heavy barrier, then ups - downs with the downs summed first.
     *
     * Invariants:
     *   1. With correct use, pending() >= the number of uses held (never a false zero).
     *   2. Only a CAS from a TRYING or GOING word w to DEAD ends a life, and it is made only by a
     *      thread that read w before counting pending() == 0.
     *   3. The termination future of a life is installed before the life's LIVE word is
     *      published and is not replaced until the life is DEAD.
     *   4. A tryAcquire returns true only if it read LIVE after its up became visible.
     *
     * Proof sketch, tryAcquire vs shutdown (jcstress TryAcquireVsShutdown): the taker does
     * xadd(up); read(state). The shutdown does cas(state: LIVE->GOING); read all cells. All four
     * are synchronization actions, totally ordered. If the taker's read comes after the CAS it sees
     * GOING (or a later word) and fails. Otherwise its up precedes its read, which precedes the
     * CAS, which precedes the count: the count sees the use, so the shutdown cannot reach zero
     * until that use is released. Release/acquire ordering alone would allow both sides to miss
     * each other (the store->load, Dekker, outcome); that is why the up is an xadd and the state
     * write is a CAS, both volatile.
     * ASYMMETRIC (WarmTryAcquireVsShutdown, AsymmetricDekker): the up is a release store to the
     * taker's own slot, then a volatile read of the state, with no fence; HotSpot's C2 keeps the
     * two in program order (a compiler barrier after every non-plain VarHandle store), so only the
     * store buffer can delay the up. count() runs membarrier after the CAS and before the sum: when
     * it returns every running thread has executed a full barrier, so either the taker's up had
     * executed (and the sum sees it) or its state read comes after the barrier (and sees GOING).
     * Liveness of the last release uses the same pair: a release stores its down and then reads the
     * state; a releaser that read LIVE has its down visible to the shutdown's count, one that read
     * GOING runs its own count() after its own store, and the last of those counts sees every down.
     *
     * Proof sketch, no false zero with hand-off across stripes (HandOffAcrossStripesStress,
     * HandOffDuringGoing): see internal.Stripes and internal.ReaderCounts. A hand-off acquire() by a holder happens-before
     * the holder's own release (program order), and the handed-on use reaches its new owner by
     * some happens-before edge (a queue, a volatile field, Thread.start...); so if the counter sees
     * a release in its downs pass it sees the matching up in its ups pass.
     *
     * Proof sketch, exactly one completion (TwoLastReleases): completion follows a successful CAS
     * from a GOING/TRYING word to DEAD; each word is CASed at most once successfully; the future
     * completed is the one read before the CAS, which by invariant 3 belongs to the life that the
     * word belongs to. A stale finisher from an older life (or an older TRYING window) fails its
     * CAS because seq moved on.
     *
     * Proof sketch, all-or-nothing tryShutdown (TryAcquireVsTryShutdown): TRYING refuses new
     * tryAcquires exactly as GOING does; if the count is not zero the rollback CAS restores LIVE
     * with a fresh seq. If its CAS (to DEAD, or the rollback) fails, only two moves from TRYING
     * exist: to DEAD (a last release, a back-out or another tryShutdown ended the word) or to
     * GOING (a concurrent shutdown() committed it). Then the call acts on the state it reads
     * again, as a new attempt: DEAD returns true; GOING is counted afresh and ended if zero
     * (TryShutdownVsIdleShutdown); LIVE (a cancel or a reopen came between) is tried again, so the
     * call may end a life that a racing reopen() started. A zero count is trusted only through the
     * CAS of the word it was made on: zero on a GOING word whose CAS fails may belong to a life a
     * cancelShutdown() revived (TryShutdownVsCancel). A positive count needs no CAS: a use was held
     * at an instant of the count, so false (or true if the life has ended since) is right.
     *
     * Happens-before for termination: every release is an xadd on a down cell; a counter's
     * volatile read of a cell synchronizes-with the last xadd on it, and earlier xadds on the same
     * cell are ordered before it by the RMW chain. So all releases happen-before the finisher's
     * count, its CAS to DEAD, and the future's completion.
     *
     * Misuse: a release that reads DEAD *before* its down is misuse for certain (a holder's own
     * life cannot be DEAD); it throws without touching the count, so a tentative up racing it
     * cannot hide it (UseCountRaceTest). pending() < 0 is impossible with correct use (every counted down has its up
     * counted), so it proves a release without an acquire. The release that finds it undoes
     * itself with a compensating up and throws; it never moves the state. (A release that merely
     * finds DEAD is not misuse: a finisher may have counted its down before it read the state.) Detection is best effort: a stray release while another holder still holds
     * a use brings the total to the holder's count minus one, indistinguishable from that
     * holder's own release, and so can end a life early; and between a stray down and its
     * compensating up the total is one too small for any concurrent count. Correct use never
     * produces a false zero; misuse can, and is reported where it can be seen.
     *
     * Rejected: in FENCED, an owned slot with a volatile store on each side costs two fences, as
     * the two xadds do, plus the slot lookup; with one fence (none on release) the last release of
     * a closing count could go unseen, and termination() must complete with nobody waiting, which
     * would take a background rescanner. Switching to one central atomic at shutdown (percpu_ref's mode switch) needs a
     * grace period before tryget can be trusted to fail; here failing at once is the contract.
     * Counting only on release from the stripe of the take needs a token the signature does not
     * have. A lock for transitions would make shutdown blocking.
     *
     * Order of this file: public API (taking, releasing, shutting down, waiting, reopening,
     * inspection), then the slow paths, then the state-word helpers and VarHandle mechanics.
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
     * release with no use held, or a hand-off while none is held, then throws at the faulty call.
     * Off by default, and then it costs nothing.
     */
    public static final String DEBUG_PROPERTY = "dev.raceless.refcount.debug";
    private static final boolean DEBUG = Boolean.getBoolean(DEBUG_PROPERTY);

    private static final int LIVE = 0;
    private static final int TRYING = 1;
    private static final int GOING = 2;
    private static final int DEAD = 3;
    private static final int OPENING = 4;
    private static final int PHASE_BITS = 3;
    private static final long PHASE_MASK = (1L << PHASE_BITS) - 1;

    /** How platform threads count: owned slots without a fence (ASYMMETRIC) or xadd on a stripe. */
    /** ASYMMETRIC: owned slots with release stores. FENCED: null, the stripes alone (no indirection). */
    private static final boolean SLOTS = Flavour.ASYMMETRIC;

    /** ASYMMETRIC only: owned slots (and shared stripes for virtual threads). */
    private final ReaderCounts slots;
    /** FENCED only: the padded stripes, an xadd on each side. */
    private final Stripes stripes;
    /** Non-null only with the debug property. */
    private final UseTracker tracker = DEBUG ? new UseTracker() : null;
    /** System.nanoTime() of the last shutdown or tryShutdown that began an end (JFR). */
    private long shutdownAt;
    /** Stall threshold and reporter of this count; null: the defaults. */
    private volatile StallConfig stalls;
    /** Whether a corruption (more releases than acquires) was logged already: once per count. */
    private volatile boolean corruptionReported;
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
     * @param stripes the number of stripes, a power of two, at least 1
     * @throws IllegalArgumentException if {@code stripes} is not a positive power of two
     */
    public UseCount(int stripes) {
        this.slots = SLOTS ? new ReaderCounts(1, stripes, ReaderCounts.Mode.RELEASE) : null;
        this.stripes = SLOTS ? null : new Stripes(stripes);
    }

    // ---------------------------------------------------------------- taking and releasing

    /**
     * Takes a use if the count is {@code LIVE}. Never blocks.
     *
     * <p>Failure is definitive when it follows a {@link #shutdown()} that has returned. While a
     * {@link #tryShutdown()} is running, failure may be spurious: the count may be {@code LIVE}
     * again a moment later.
     *
     * @return {@code true} if a use was taken; the caller must {@link #release()} it
     */
    public boolean tryAcquire() {
        up(); // FENCED: xadd, a full fence. ASYMMETRIC: release store; the counter's heavy barrier fences it (Dekker)
        return afterUp();
    }

    /** The rest of a tryAcquire after its up: keep the use if LIVE, else back out. */
    private boolean afterUp() {
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
     * in progress on to another thread. Legal while {@code LIVE} or {@code GOING}: a count with a
     * use held cannot be {@code DEAD}.
     *
     * @throws IllegalStateException if the count is {@code DEAD}, which proves that the caller
     *         holds no use; the count is left as it was
     */
    public void acquire() {
        if (DEBUG && !tracker.handedOn()) {
            throw new IllegalStateException("acquire() hands on a use the caller holds, but no use of this "
                    + "UseCount is held (debug tracking): take a first use with tryAcquire(); the count was left as it was");
        }
        up(); // see tryAcquire
        int ph = phase(state);
        if (ph == DEAD || ph == OPENING) {
            backOut();
            throw new IllegalStateException(
                    "acquire() on a DEAD UseCount: acquire() hands on a use the caller already holds, "
                            + "and no use is held in a dead life; take a first use with tryAcquire()");
        }
    }

    /**
     * Drops a use. The release that empties a {@code GOING} count makes it {@code DEAD} and
     * completes {@link #termination()}.
     *
     * @throws IllegalStateException if the count is {@code DEAD} when the call begins, or the
     *         release makes the count negative as seen once the count is not {@code LIVE}, or, with
     *         the debug property {@value #DEBUG_PROPERTY}, whenever no use is held: the caller
     *         released a use it did not hold. The count is left as it was.
     */
    public void release() {
        beforeDown();
        down(); // xadd, or a release store the counter's heavy barrier fences; then read the state
        afterDown();
    }

    /** The misuse checks of a release, before its down: they leave the count as it was. */
    private void beforeDown() {
        if (isDead(state)) { // before the down: a holder's own life cannot be DEAD, so this is misuse
            throw releaseOnDead();
        }
        if (DEBUG && !tracker.released()) {
            throw new IllegalStateException("release() without a matching acquire (a double release?): no use "
                    + "of this UseCount is held (debug tracking); the count was left as it was");
        }
    }

    /** The rest of a release after its down: a release that finds the count closing may end it. */
    private void afterDown() {
        long s = state;
        if (phase(s) != LIVE) {
            releaseSlow(s);
        }
    }

    // ---------------------------------------------------------------- a thread's own view

    /**
     * A view of this count for the calling thread: the same uses as {@link #tryAcquire()} and
     * {@link #release()}, without finding the thread's slot again on every call. Make one per
     * thread and keep it where only that thread reaches it (a local variable of a worker loop, a
     * field of the thread's own task), as with {@link java.util.concurrent.ThreadLocalRandom#current()}:
     * a call from any other thread throws. Making one is cheap but not free (the first one on a
     * thread may register the thread's slot): do it outside the hot loop.
     *
     * @return a view confined to the calling thread
     * @see Local
     */
    public Local local() {
        return new Local(this);
    }

    /**
     * A thread's own view of a {@link UseCount}, made by {@link UseCount#local()}: its
     * {@link #tryAcquire()} and {@link #release()} are the count's, with the thread's slot found
     * once instead of on every call. In the {@link ReadSide#ASYMMETRIC ASYMMETRIC} flavour that
     * saves most of a pair's cost (the slot lookup costs about as much as the stores); in the
     * {@link ReadSide#FENCED FENCED} flavour it keeps the thread's stripe cell (the same xadds as
     * the count's own calls); on a virtual thread, or on a thread that found its slot taken by
     * another live thread, a Local simply calls the count.
     *
     * <p>Uses taken through a Local are the count's uses: a shutdown waits for them, and one may be
     * dropped by {@link UseCount#release()} on any thread (after a hand-off), or taken by the count
     * and dropped through the Local. The ordering is the count's own (the same stores on the same
     * slot; jcstress {@code LocalTryAcquireVsShutdown} checks the Local's path).
     *
     * <p>Confined: every method throws {@link IllegalStateException} when called from a thread other
     * than the one that made the Local, and leaves the count as it was. A Local holds its thread
     * (strongly): do not keep it after the thread ends.
     */
    public static final class Local {
        private final UseCount count;
        private final Thread owner;
        /** ASYMMETRIC: the owner's slot of the count, or null (a virtual thread, a taken entry). */
        private final ReaderCounts.Slot slot;
        /** FENCED: the owner's stripe cell (found once, as the slot is). */
        private final int cell;

        private Local(UseCount count) {
            this.count = count;
            this.owner = Thread.currentThread();
            this.slot = SLOTS ? count.slots.ownSlot() : null;
            this.cell = SLOTS ? -1 : count.stripes.cellOfCurrentThread();
        }

        /**
         * {@link UseCount#tryAcquire()}, from the thread that made this Local.
         *
         * @return {@code true} if a use was taken; release it (through this Local or the count)
         * @throws IllegalStateException if called from another thread; nothing was taken
         */
        public boolean tryAcquire() {
            checkOwner("tryAcquire()");
            UseCount c = count;
            if (!SLOTS) {
                c.stripes.up(cell); // the same xadd on the same cell as UseCount.tryAcquire()
                return c.afterUp();
            }
            ReaderCounts.Slot s = slot;
            if (s == null) {
                return c.tryAcquire();
            }
            ReaderCounts.upRelease(s, 0); // the same release store on the same slot as UseCount.tryAcquire()
            return c.afterUp();
        }

        /**
         * {@link UseCount#release()}, from the thread that made this Local.
         *
         * @throws IllegalStateException if called from another thread, or as
         *         {@link UseCount#release()} throws; the count is left as it was
         */
        public void release() {
            checkOwner("release()");
            UseCount c = count;
            if (!SLOTS) {
                c.beforeDown();
                c.stripes.down(cell);
                c.afterDown();
                return;
            }
            ReaderCounts.Slot s = slot;
            if (s == null) {
                c.release();
                return;
            }
            c.beforeDown();
            ReaderCounts.down(s, 0);
            c.afterDown();
        }

        /**
         * The count this is a view of.
         *
         * @return the count
         */
        public UseCount count() {
            return count;
        }

        /**
         * The thread that made this Local, the only one that may call it.
         *
         * @return the owner thread
         */
        public Thread owner() {
            return owner;
        }

        private void checkOwner(String operation) {
            Thread t = Thread.currentThread();
            if (t != owner) {
                throw new IllegalStateException(operation + " on a UseCount.Local made by thread \"" + owner.getName()
                        + "\", called from thread \"" + t.getName() + "\": a Local is confined to the thread that "
                        + "made it (call local() on this thread, or call the UseCount itself); the count was left "
                        + "as it was");
            }
        }

        @Override
        public String toString() {
            return "UseCount.Local[thread " + owner.getName()
                    + (slot != null ? ", own slot" : SLOTS ? ", no slot of its own" : ", own stripe cell")
                    + ", " + count + "]";
        }
    }

    // ---------------------------------------------------------------- shutting down

    /**
     * Begins unloading: moves a {@code LIVE} count to {@code GOING}, and on to {@code DEAD} before
     * returning when no use is held. Idempotent; does nothing on a {@code GOING} or {@code DEAD} count.
     * Never blocks. Every {@link #tryAcquire()} that starts after this method returned fails
     * (until a {@link #cancelShutdown()} or a {@link #reopen()}). A shutdown racing with a
     * {@code reopen()} may find the old life still {@code DEAD} and do nothing: it is ordered
     * before the reopen, and the count ends {@code LIVE}.
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
            // From TRYING this commits a tryShutdown in progress: it can no longer roll back, and
            // its own count can no longer finish it (its word is gone), so we count here.
            long g = next(s, GOING);
            shutdownAt = System.nanoTime(); // JFR only; published by the CAS to whoever ends the life
            if (casState(s, g)) {
                if (finishIfZero(g) < 0) {
                    casState(g, next(g, LIVE)); // undo; fails only if the count moved on
                    throw negativeCount("shutdown()");
                }
                return;
            }
        }
    }

    /**
     * Unloads if no use is held, all or nothing. Never blocks.
     *
     * <p>Returns {@code true} if the count is {@code DEAD} at the instant this call takes effect:
     * no use is held and none can be taken in that life. If a racing {@link #reopen()} starts the
     * next life meanwhile, that life may be the one this call ends (or finds busy): it takes
     * effect on the life it counts. Returns {@code false} if a use was held: then a {@code LIVE} count is
     * left {@code LIVE}, exactly as if this method had not been called, and a {@code GOING} count
     * (from an earlier {@link #shutdown()}) stays {@code GOING}.
     *
     * <p>{@code false} may be spurious: a {@code tryAcquire()} that raced with this call and backed
     * out is counted as busy for the instant it took. {@link #tryAcquire()} calls racing with this
     * method may fail spuriously.
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
                            throw negativeCount("tryShutdown()");
                        }
                        return false;
                    }
                    // The word t is gone. From TRYING only two moves exist: a last release, a
                    // back-out or another tryShutdown ended the life (DEAD), or shutdown()
                    // committed it (GOING, because of that call, not this one; from there
                    // anything may have happened since). A zero we counted proves nothing once
                    // t is gone: never trust the count, act on the state read again. GOING is
                    // counted afresh below, so an idle count that a racing shutdown() committed
                    // ends DEAD and this returns true, as the state machine says (Lincheck
                    // UseCountLincheckTest found the false this returned before).
                    if (isDead(state)) {
                        return true;
                    }
                    continue;
                }
                case TRYING: // another tryShutdown is counting: count too, never wait for it
                case GOING: {
                    long pending = count();
                    if (pending < 0) {
                        throw negativeCount("tryShutdown()");
                    }
                    if (pending > 0) {
                        return isDead(state); // a use is held: GOING stays GOING (TRYING is the other call's)
                    }
                    // Zero: end the life of s, or see it ended. If the CAS fails, s is gone, and
                    // not necessarily to DEAD: a cancelShutdown() may have taken it back to LIVE
                    // (and the last holder then released on the LIVE fast path), or a reopen() may
                    // have followed. A zero counted on a word that is gone proves nothing: act on
                    // the state read again (jcstress TryShutdownVsCancel, Lincheck
                    // UseCountLincheckTest).
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
     * The way out of a corrupted count: when more releases than acquires were counted (a release
     * without a matching acquire, which {@link #shutdown()} and {@link #tryShutdown()} report by
     * throwing), adds the missing acquires, so that the count reads no use held beyond the real
     * ones, and returns how many it added. Call it on purpose, once the count was reported
     * corrupted and while no stray release can still be running; a shutdown that threw can then be
     * retried. A corruption that made a use disappear while it was held (a stray release while
     * another caller held a use) cannot be seen or repaired: run with {@value #DEBUG_PROPERTY}
     * to catch it at the faulty call.
     *
     * @return the number of acquires added; 0 if the count was not found negative
     */
    public long repair() {
        long p = count();
        for (long i = p; i < 0; i++) {
            up();
        }
        return Math.max(0L, -p);
    }

    /**
     * {@link #tryShutdown()} on several counts at once, all or nothing, paying the read side's heavy
     * barrier once for all of them instead of once each (a group of registrations deregistered
     * together). Never blocks.
     *
     * <p>Returns {@code true} if every count is {@code DEAD} on return. Returns {@code false} if a
     * count was not {@code LIVE} or a use was held on any of them: then every count this call had
     * moved is {@code LIVE} again, in the same life, or, if a racing last release ended its life
     * in the instant between, in a new life ({@link #reopen()}); nothing else changed. The caller
     * must be the only one shutting these counts down meanwhile (as a group's claim on its members
     * guarantees): a concurrent {@code shutdown()} of one of them is ordered before this call, or
     * makes it return {@code false} with that count left to it. {@code false} may be spurious, as
     * for {@code tryShutdown()}.
     *
     * @param counts the counts, each at most once
     * @return whether all are {@code DEAD}
     * @throws IllegalStateException if a count is found negative (a release without a matching
     *         acquire); every count is then left as this call found it
     */
    public static boolean tryShutdownAll(java.util.List<UseCount> counts) {
        Objects.requireNonNull(counts, "counts");
        int n = counts.size();
        for (UseCount c : counts) { // before anything moves: a null leaves everything as it was
            Objects.requireNonNull(c, "counts contains null");
        }
        long[] words = new long[n];
        for (int i = 0; i < n; i++) { // 1. LIVE -> TRYING, each: no new use from here on
            UseCount c = counts.get(i);
            long s;
            do {
                s = c.state;
                if (phase(s) != LIVE) {
                    rollBack(counts, words, i);
                    return false;
                }
            } while (!c.casState(s, words[i] = next(s, TRYING)));
        }
        Flavour.heavyBarrier(); // 2. once for all: every use announced before our CASes is visible
        boolean idle = true;
        UseCount negative = null;
        for (int i = 0; i < n; i++) { // 3. count each, downs before ups
            long p = counts.get(i).sum();
            idle &= p == 0;
            if (p < 0) {
                negative = counts.get(i);
            }
        }
        if (!idle) {
            rollBack(counts, words, n);
            if (negative != null) {
                throw negative.negativeCount("tryShutdownAll()");
            }
            return false;
        }
        for (int i = 0; i < n; i++) { // 4. all idle: end every life
            if (!counts.get(i).endLife(words[i]) && !isDead(counts.get(i).state)) {
                // Moved to GOING by a shutdown() that ran despite the contract: not all or nothing
                // any more; give back the ones we ended and report false.
                for (int j = 0; j < n; j++) {
                    if (j != i) {
                        counts.get(j).reopen();
                    }
                }
                return false;
            }
        }
        return true;
    }

    /** Gives the first {@code moved} counts back: TRYING -> LIVE, or a new life if one ended. */
    private static void rollBack(java.util.List<UseCount> counts, long[] words, int moved) {
        for (int i = 0; i < moved; i++) {
            UseCount c = counts.get(i);
            if (!c.casState(words[i], next(words[i], LIVE)) && isDead(c.state)) {
                c.reopen(); // a last release ended it in between: "as before but for that instant"
            }
        }
    }

    /**
     * Undoes a {@link #shutdown()} that has not finished: moves a {@code GOING} count with uses
     * still held back to {@code LIVE}, in the same life, as Rusty Russell's four-point interface
     * "calls start again" after a stop that lost the race. Never blocks. Used by timed unloads that
     * give up.
     *
     * <p>A {@code GOING} count with no use held (a {@code shutdown()} of an idle count that is
     * still counting) is not revived: this call ends the life itself and returns {@code false},
     * as if the shutdown had finished first, so a count that was idle when it was shut down is
     * never {@code LIVE} again in the same life (checked by the jcstress test
     * {@code CancelVsIdleShutdown}). It counts the uses to find out: O(stripes), and in the
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
            // GOING with no use held is a shutdown still counting (or one that counted a failing
            // tryAcquire's tentative up): in the contract the count is DEAD already, so finish it
            // rather than revive it (Lincheck UseCountLincheckTest, jcstress CancelVsIdleShutdown)
            if (finishIfZero(s) == 0) {
                // Ended here, or by the shutdown or a release: DEAD, unless a racing cancel or
                // reopen followed
                return false;
            }
            if (casState(s, next(s, LIVE))) { // a finisher holding the GOING word now fails its CAS
                return true;
            }
        }
    }

    // ---------------------------------------------------------------- waiting

    /**
     * A future completed when the life current at this call becomes {@code DEAD}. Completing or
     * cancelling the returned future does not affect this count.
     *
     * @return a copy of this life's termination future
     */
    public CompletableFuture<Void> termination() {
        return currentTermination().copy();
    }

    /**
     * Waits until the life current at this call is {@code DEAD}. Parks; does not pin a virtual
     * thread.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitTermination() throws InterruptedException {
        awaitReporting(currentTermination(), Long.MAX_VALUE);
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
        Objects.requireNonNull(unit, "unit");
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout + " " + unit);
        }
        CompletableFuture<Void> f = currentTermination();
        return f.isDone() || awaitReporting(f, unit.toNanos(timeout));
    }

    /**
     * Sets when a wait for termination ({@code awaitTermination}) that lasts is reported: once per
     * wait, after {@code threshold}, through {@code reporter}. The report names the count, the
     * waiting thread and how long it has waited and, with the debug property
     * {@value #DEBUG_PROPERTY}, every use still held with the thread and stack that took it. The
     * default is 10 s (system property {@value dev.raceless.internal.Stalls#PROPERTY},
     * milliseconds) and a WARNING through the {@link System.Logger} {@code dev.raceless.refcount}.
     *
     * @param threshold how long a wait may last before it is reported
     * @param unit the unit of {@code threshold}
     * @param reporter receives each report, on the waiting thread; it should not block
     * @throws IllegalArgumentException if {@code threshold} is not positive
     */
    public void reportStalls(long threshold, TimeUnit unit, Consumer<String> reporter) {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(reporter, "reporter");
        stalls = new StallConfig(Stalls.thresholdNanos(threshold, unit), reporter);
    }

    /** A stall threshold and reporter set on one count; null means the defaults. */
    private static final class StallConfig {
        final long nanos;
        final Consumer<String> reporter;

        StallConfig(long nanos, Consumer<String> reporter) {
            this.nanos = nanos;
            this.reporter = reporter;
        }
    }

    private static final StallConfig DEFAULT_STALLS =
            new StallConfig(Stalls.DEFAULT_NANOS, Stalls.logTo("dev.raceless.refcount"));

    /** Waits for f at most timeoutNanos (MAX_VALUE: for ever), reporting once if the wait stalls. */
    private boolean awaitReporting(CompletableFuture<Void> f, long timeoutNanos) throws InterruptedException {
        StallConfig sc = stalls != null ? stalls : DEFAULT_STALLS;
        long start = System.nanoTime();
        try {
            if (timeoutNanos > sc.nanos) {
                try {
                    f.get(sc.nanos, TimeUnit.NANOSECONDS);
                    return true;
                } catch (TimeoutException stalled) {
                    reportStall(sc, System.nanoTime() - start);
                }
            }
            if (timeoutNanos == Long.MAX_VALUE) {
                f.get();
                return true;
            }
            long left = timeoutNanos - (System.nanoTime() - start);
            if (left <= 0) {
                return f.isDone();
            }
            f.get(left, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new AssertionError("termination is only ever completed normally", e);
        }
    }

    private void reportStall(StallConfig sc, long waited) {
        String report = "stall: " + Thread.currentThread() + " has waited " + Stalls.millis(waited)
                + " for the termination of " + this
                + (DEBUG ? "; uses held:" + tracker.describe()
                : "; run with -D" + DEBUG_PROPERTY + "=true to see which threads hold the uses");
        StallEvent event = new StallEvent();
        if (event.shouldCommit()) {
            event.waiter = "awaitTermination() of " + this;
            event.waited = waited;
            event.report = report;
            event.commit();
        }
        try {
            sc.reporter.accept(report);
        } catch (RuntimeException e) { // a broken reporter must not break the wait
            System.getLogger("dev.raceless.refcount").log(System.Logger.Level.WARNING, "stall reporter threw", e);
        }
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
     * {@link #tryAcquire()} with nothing between them. No shutdown of the new life can find it
     * idle before the caller's {@link #release()}: a loader that publishes an instance this way
     * takes its own call into it before any unload can run (jcstress
     * {@code ReopenAndAcquireVsTryShutdown}; with {@code reopen()} and then {@code tryAcquire()},
     * {@code BrokenReopenThenAcquire} shows a shutdown in between).
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
                // Before LIVE is published: every count of the new life first reads that volatile
                // write (its CAS from LIVE), so the up happens-before the count in either flavour.
                // (An up that throws, out of memory for a new slot, stored nothing.)
                up();
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
     * The current state. A {@code tryShutdown()} in progress reports {@code GOING}.
     *
     * <p><b>Transients</b> (see "Linearizability" in the class notes): a {@code shutdown()} moves
     * the count to {@code GOING} first and counts afterwards, so while it runs on an idle count
     * this may report {@code GOING} with no use held. And a {@code tryAcquire()} that races a
     * shutdown announces itself before it reads the state: if the shutdown counts that tentative
     * use, it returns with the count {@code GOING}, and the failing {@code tryAcquire()}'s back-out
     * makes it {@code DEAD} (and completes {@link #termination()}) before that
     * {@code tryAcquire()} returns. So right after {@code shutdown()} returned on a count whose
     * uses were all released, {@code state()} is {@code DEAD} unless a {@code tryAcquire()} is
     * still failing; wait for {@link #termination()} rather than poll.
     *
     * @return {@code LIVE}, {@code GOING} or {@code DEAD}
     */
    public State state() {
        switch (phase(state)) {
            case LIVE:
                return State.LIVE;
            case TRYING:
            case GOING:
                return State.GOING;
            default:
                return State.DEAD;
        }
    }

    /**
     * The number of uses held. Not an atomic snapshot: while uses are taken and released
     * concurrently the result may be too large (never too small under correct use). Exact when
     * nothing is in flight. Negative only after misuse (more releases than acquires).
     *
     * @return acquires minus releases, releases summed first
     */
    public long estimate() {
        return sum();
    }

    /**
     * The number of stripes.
     *
     * @return the shared stripes (used by every thread in FENCED, by virtual threads in ASYMMETRIC)
     */
    public int stripes() {
        return SLOTS ? slots.stripes() : stripes.stripes();
    }

    /**
     * The read-side flavour this count uses.
     *
     * @return the JVM's flavour, see {@link ReadSide}
     */
    public static ReadSide readSide() {
        return ReadSide.active();
    }

    @Override
    public String toString() {
        return "UseCount[" + state() + ", ~" + estimate() + " held, " + stripes() + " stripes, "
                + (SLOTS ? slots.slotCount() : 0) + " thread slots, " + ReadSide.active() + "]";
    }

    // ---------------------------------------------------------------- slow paths

    /**
     * Undoes the up of a tryAcquire that found the count not LIVE. The back-out may be the last
     * down a GOING count was waiting for, so it checks for zero like a release; unlike a release it
     * is never misuse, whatever state it finds.
     */
    private void backOut() {
        down();
        long s = state;
        if (isClosing(s)) {
            finishIfZero(s);
        }
    }

    /**
     * A release that found the count not LIVE: maybe the last one, maybe misuse. Kept out of line.
     *
     * <p>Finding DEAD (or OPENING) is not misuse by itself: a finisher may have counted this
     * release's down, reached zero and ended the life between our xadd and our read of the state
     * (jcstress TwoLastReleases, ReleaseVsShutdown). Only a negative count proves a release
     * without an acquire.
     */
    private void releaseSlow(long s) {
        long pending = isClosing(s) ? finishIfZero(s) : count();
        if (pending < 0) {
            up(); // compensate: leave the count as it was
            throw negativeCount("release()");
        }
    }

    /**
     * Counts the uses held and, if there are none, ends the life whose TRYING or GOING word is
     * {@code s}. Safe to call by any number of threads: exactly one CAS to DEAD succeeds.
     *
     * @return the count read: 0 (the life was ended by this call, or the word had moved on),
     *         positive if busy, negative after misuse
     */
    private long finishIfZero(long s) {
        long pending = count(); // downs before ups: never a false zero
        if (pending == 0) {
            endLife(s);
        }
        return pending;
    }

    /**
     * The count every decision is made on: in the ASYMMETRIC flavour the heavy barrier first, so that
     * every use announced by a thread that read LIVE before our state write is visible to the sum
     * (the updater's half of the Dekker pair); then the Piggin-safe sum.
     */
    private long count() {
        Flavour.heavyBarrier();
        return sum();
    }

    /** One up on the caller's slot (ASYMMETRIC) or stripe (FENCED). SLOTS is constant: one branch is compiled. */
    private void up() {
        if (SLOTS) {
            slots.up(0);
        } else {
            stripes.up();
        }
    }

    private void down() {
        if (SLOTS) {
            slots.down(0);
        } else {
            stripes.down();
        }
    }

    /** Ups minus downs, downs summed first (Piggin-safe), without any barrier. */
    private long sum() {
        return SLOTS ? slots.pending(0) : stripes.pending();
    }

    /**
     * Ends the life whose TRYING or GOING word is {@code s}, after a count of zero made since
     * {@code s} was read. Exactly one caller per word can succeed.
     *
     * @return whether this call ended it (false: the word had moved on)
     */
    private boolean endLife(long s) {
        CompletableFuture<Void> f = termination; // read before the CAS: invariant 3
        if (casState(s, next(s, DEAD))) {
            f.complete(null);
            if (TERMINATION.isEnabled()) { // JFR, off unless recording: one call on this slow path
                TerminationEvent event = new TerminationEvent();
                event.count = toString();
                event.shutdownToTermination = System.nanoTime() - shutdownAt;
                event.commit();
            }
            return true;
        }
        return false;
    }

    private static final EventType TERMINATION = EventType.getEventType(TerminationEvent.class);

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

    private static IllegalStateException releaseOnDead() {
        return new IllegalStateException("release() on a DEAD UseCount: a release without a matching acquire "
                + "(no use is held in a dead life; a double release?); the count was left as it was");
    }

    private IllegalStateException negativeCount(String operation) {
        IllegalStateException e = new IllegalStateException(operation + " found more releases than acquires on "
                + "this UseCount: release() was called without a matching acquire; the count was left as it "
                + "was. repair() accepts the corruption (run with -D" + DEBUG_PROPERTY + "=true to catch the "
                + "faulty release where it happens)");
        if (!corruptionReported) { // says so once, through the logger, even if the caller swallows it
            corruptionReported = true;
            System.getLogger("dev.raceless.refcount").log(System.Logger.Level.ERROR, "corrupted " + this, e);
        }
        return e;
    }

    // ---------------------------------------------------------------- state word

    private static int phase(long word) {
        return (int) (word & PHASE_MASK);
    }

    /** The word after a transition to {@code phase}: the seq moves on, so no word repeats. */
    private static long next(long word, int phase) {
        return ((word >>> PHASE_BITS) + 1) << PHASE_BITS | phase;
    }

    private static boolean isClosing(long word) {
        int ph = phase(word);
        return ph == TRYING || ph == GOING;
    }

    private static boolean isDead(long word) {
        return phase(word) >= DEAD; // DEAD or OPENING, the phases above DEAD: one compare on the release path
    }

    private boolean casState(long expected, long update) {
        return STATE.compareAndSet(this, expected, update);
    }

    // VarHandle mechanics
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(UseCount.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
