package dev.raceless.grace;

import dev.raceless.internal.Flavour;
import dev.raceless.internal.ReaderCounts;
import dev.raceless.internal.Stalls;
import dev.raceless.internal.Stripes;
import dev.raceless.internal.Waits;
import dev.raceless.internal.jfr.GracePeriodEvent;
import dev.raceless.refcount.ReadSide;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * A domain of reader sections and grace periods: sleepable RCU ({@code srcu}) for the JVM. Readers
 * mark sections with {@link #enter()} and {@link #exit(int)}; an updater that has unpublished an
 * object calls {@link #synchronize()}, which returns once every section that was running when it
 * was called has ended, after which nobody can still be using the object.
 *
 * <p><b>The rule.</b> A section that began before {@code synchronize()} was called has ended when
 * {@code synchronize()} returns; a section that began after it cannot see what was unpublished
 * before the call. So an object unpublished before {@code synchronize()} may be freed after it.
 *
 * <p><b>Readers.</b> Sections nest, may block or park, and may end on another thread than the one
 * that began them (pass the token along). {@code enter()} and {@code exit(int)} are wait-free,
 * allocate nothing and write only a slot owned by the calling platform thread: with the
 * {@link ReadSide#ASYMMETRIC ASYMMETRIC} read side no fence at all (the updater pays a
 * {@code membarrier}), with {@link ReadSide#FENCED FENCED} one volatile store on entry and a
 * release store on exit. Virtual threads count with one atomic add on a shared padded stripe.
 *
 * <p><b>Updaters.</b> {@code synchronize()} does not wait for sections that begin after its grace
 * period has started (a flip of the epoch index, taken as soon as the sections counted on the
 * other index are done), so a stream of new readers cannot starve it. Sections that begin between
 * the call and that flip (while an earlier grace period finishes, or while the flip waits for
 * sections from before the previous one) may be waited for. Concurrent callers share grace
 * periods: N callers at once cost one or two grace periods, not N. Waiting spins briefly, then
 * parks; the last exit of an awaited section unparks the waiter (with the {@code FENCED} read side
 * an exit may miss the waiter, which therefore also rescans at growing intervals, from 20 µs up to
 * 1 ms). {@link #trySynchronize()} never waits and {@link #trySynchronize(long, TimeUnit)} gives up
 * at a deadline.
 *
 * <p><b>Deferred actions.</b> {@link #callAfterGrace(Runnable)} queues an action to run after a
 * grace period, on a daemon thread owned by the domain, in the order queued; it never blocks the
 * caller. The thread ends at {@link #close()}, or when the domain becomes unreachable without it.
 * An action that throws is reported to the error handler and does not stop the others.
 * {@link #barrier()} waits until every action queued before it has run ({@code rcu_barrier});
 * {@code synchronize()} does not. {@link #close()} refuses new actions and runs the queued ones.
 *
 * <p><b>Deadlock rule.</b> {@code synchronize()}, {@code barrier()} or {@code close()} called by a
 * thread inside a section of the same domain would wait for itself. Don't. With the system property
 * {@value #DEBUG_PROPERTY}{@code =true}, every section is tracked and such a call throws
 * {@link IllegalStateException} (and {@code exit} checks tokens exactly); without it the check
 * costs nothing and is not made. A deferred action calling {@code barrier()} always throws.
 *
 * <p><b>Memory consistency effects.</b> Actions in a section that began before a call to
 * {@code synchronize()} happen-before that call returns (checked by the jcstress test
 * {@code UnpublishThenFree}, and for {@code trySynchronize()} by {@code TryUnpublishThenFree}).
 * Actions prior to calling {@code synchronize()} happen-before the actions of every section that
 * sees a write made after that {@code synchronize()} returned ({@code UnpublishThenFree},
 * {@code LateReaderOldEpoch}). Actions prior to {@code callAfterGrace(action)} happen-before
 * {@code action} runs, and every section that began before that call has ended by then (the
 * {@code call_after_grace} mode of the {@code GraceTortureStress} harness).
 *
 * <p><b>Sample usage.</b> Replacing a configuration readers use without locks:
 * <pre> {@code
 * final GraceDomain grace = new GraceDomain();
 * volatile Config config;
 *
 * int lookup(String key) {                 // reader: may block inside
 *   int t = grace.enter();
 *   try {
 *     return config.get(key);
 *   } finally {
 *     grace.exit(t);
 *   }
 * }
 *
 * void replace(Config fresh) {             // updater
 *   Config old = config;
 *   config = fresh;                        // unpublish
 *   grace.synchronize();                   // wait for readers that may still see old
 *   old.close();                           // nobody can reach it now
 * }}</pre>
 */
public final class GraceDomain implements AutoCloseable {
    /*
     * Implementation notes.
     *
     * Design goal: srcu's read side with no locked instruction (readers may sleep), an updater that
     * shares grace periods and parks instead of polling. This class is the grace-period engine;
     * DeferredActions runs callAfterGrace/barrier/close, SectionTracker the debug mode, and
     * GracePeriodWaits (shared with QuiescentDomain) holds the lock, the sharing of grace periods
     * and the parked wait with its stall report.
     *
     * Representation:
     *   counts                one internal.ReaderCounts with two lanes, one per epoch index: ups =
     *                         enters, downs = exits; platform threads write slots they own,
     *                         virtual threads xadd on shared stripes
     *   current               the index new sections count on (volatile int, 0 or 1)
     *   gpSeq                 grace-period sequence: even = idle, odd = one in progress; a
     *                         completed grace period adds 2 (Linux's rcu_seq)
     *   gpLock                waits.lock: one grace period at a time; waiters queue here and share
     *   waiter, drainingIdx   the one updater parked in drain(), and the index it waits on
     *   token                 tag ^ idx, where tag is a random even int of this domain: a token
     *                         from no enter() of this domain is caught by one xor and one test
     *
     * Invariants:
     *   1. A section's up and down are on the same index (the token carries it).
     *   2. ups(i) - downs(i), downs summed first, is never less than the sections open on i whose
     *      up the sum can see (ReaderCounts: the Piggin-safe order across slots and stripes).
     *   3. Only the gpLock holder flips current or waits in drain().
     *
     * A grace period (runGracePeriod), with cur = current:
     *   a. drain(cur ^ 1): sections that read the old index before the previous flip but counted
     *      late. Without this step a reader that read index i, stalled, and counted on i after the
     *      previous grace period finished would be missed by the next one, which flips to i and
     *      drains only the other index (the late-reader race; jcstress LateReaderOldEpoch).
     *   b. current = cur ^ 1: new sections count on the other index, so this grace period never
     *      waits for them (no starvation).
     *   c. drain(cur): every section that began before the call and counted on cur.
     *   One Flavour.heavyBarrier() (membarrier in ASYMMETRIC, nothing in FENCED) before (a) serves
     *   both drains: what the proof below needs is a barrier after the unpublish and before the
     *   scan that finds an index empty, and the flip orders nothing the barrier must cover (it only
     *   keeps new sections off the index being drained). A barrier per drain would add a second
     *   membarrier to every grace period, readers or not.
     *
     * Proof sketches (written once, in docs/grace-domain.md, "Proof sketches"): the grace-period
     * guarantee in both flavours (UnpublishThenFree, WarmUnpublishThenFree, AsymmetricDekker), why
     * step a (LateReaderOldEpoch), no starvation, no lost wake-up (SynchronizeWakesOnExit), sharing
     * and misuse. They rest on the invariants above.
     *
     * Sharing (rcu_seq_snap): a caller reads gpSeq = s on arrival; a grace period that starts after
     * the arrival ends at (s + 3) & ~1 or later. Under gpLock the caller returns at once if gpSeq
     * has reached that target. Checked by SynchronizersShareStress.
     *
     * Waiting: drain() rescans with onSpinWait for a short while, then publishes waiter and
     * drainingIdx, runs the heavy barrier, rescans, and parks. exit() stores its down and then reads
     * drainingIdx. ASYMMETRIC: the publish, membarrier, rescan against exit's store-then-read is
     * the asymmetric Dekker pair again: either the rescan sees the exit or the exit sees the waiter
     * and unparks it (jcstress SynchronizeWakesOnExit). FENCED: exit has no fence between its
     * release store and its read, so both may miss each other; the waiter parks with a timeout
     * (20 µs doubling to 1 ms) and rescans: a missed wake-up costs at most one such interval.
     * Virtual threads exit with an xadd, a full fence: they never miss the waiter.
     *
     * Rejected: an xadd on enter and exit (srcu's design): two locked
     * instructions per section, the price every peer pays. A fence in exit under FENCED: the
     * updater waits anyway, so a rescan is cheaper than a fence in every exit. Per-thread slots
     * shared by every domain (HotSpot's GlobalCounter): one slot per thread for all domains means
     * one domain's long reader delays every domain's synchronize.
     */

    /** System property that turns on section tracking and the self-deadlock check. */
    public static final String DEBUG_PROPERTY = "dev.raceless.grace.debug";
    private static final boolean DEBUG = Boolean.getBoolean(DEBUG_PROPERTY);
    /** FENCED only: the first and the longest park between rescans of a waiting drain. */
    private static final long FIRST_RESCAN_NANOS = 20_000L, MAX_RESCAN_NANOS = 1_000_000L;
    /** How this domain's platform-thread readers count. */
    private static final ReaderCounts.Mode MODE =
            Flavour.ASYMMETRIC ? ReaderCounts.Mode.RELEASE : ReaderCounts.Mode.UP_VOLATILE;
    private static final AtomicInteger DOMAINS = new AtomicInteger();

    private final ReaderCounts counts;
    private final int tag;
    private final String name;
    /** The index new sections count on; flipped by the grace-period holder only. */
    private volatile int current;
    /** Even: idle. Odd: a grace period is in progress. +2 per completed grace period. */
    private volatile long gpSeq;
    /** The lock one grace period at a time runs under (gpLock), sharing, waiting, stall reports. */
    private final GracePeriodWaits waits;
    /** The updater parked in drain(), or null. Written before drainingIdx. */
    private volatile Thread waiter;
    /** The index a parked updater waits on, or -1; read by every exit(). */
    private volatile int drainingIdx = -1;
    /** Whether a corruption (more exits than enters) was logged already: once per domain. */
    private volatile boolean corruptionReported;

    private final DeferredActions actions;
    /** Non-null only with the debug property. */
    private final SectionTracker tracker;

    /** Creates a domain whose deferred actions report failures through a {@link System.Logger}. */
    public GraceDomain() {
        this("grace-" + DOMAINS.incrementAndGet(), GraceDomain::logActionFailure);
    }

    /**
     * Creates a domain.
     *
     * @param name names the domain's action thread ({@code raceless-<name>-actions})
     * @param errorHandler receives each deferred action that threw, with what it threw; runs on
     *        the action thread and should not block (and should not hold this domain: a handler
     *        that does keeps a dropped domain, and its thread, alive)
     */
    public GraceDomain(String name, BiConsumer<? super Runnable, ? super Throwable> errorHandler) {
        this.actions = new DeferredActions(this, name, errorHandler); // checks name and errorHandler
        this.name = name;
        this.counts = new ReaderCounts(2, Stripes.defaultStripes(), MODE);
        this.tag = ThreadLocalRandom.current().nextInt() & ~1;
        this.tracker = DEBUG ? new SectionTracker(tag) : null;
        this.waits = new GracePeriodWaits(this, target -> gpSeq - target >= 0, this::runGracePeriod);
    }

    // ---------------------------------------------------------------- readers

    /**
     * Begins a reader section. Sections nest; a section may block or park, and may be ended on
     * another thread. Wait-free; allocates nothing (unless the debug property is set).
     *
     * @return the token to pass to {@link #exit(int)}
     */
    public int enter() {
        int idx = current; // volatile read; a stale index is covered by step (a) of a grace period
        counts.up(idx); // FENCED: volatile store. ASYMMETRIC: release store; the grace period's membarrier orders it
        return token(idx);
    }

    private int token(int idx) {
        return DEBUG ? tracker.enter(idx) : tag ^ idx;
    }

    /**
     * Ends the section begun by the {@link #enter()} that returned {@code token}; may be called on
     * another thread. Wait-free; allocates nothing.
     *
     * @param token what the section's {@code enter()} returned
     * @throws IllegalArgumentException if no {@code enter()} of this domain returned
     *         {@code token} (with the debug property: also if that section has already ended)
     */
    public void exit(int token) {
        int idx = index(token);
        counts.down(idx); // release store (or xadd); pairs with drain()'s acquire scan
        afterExit(idx);
    }

    /** The index a token carries; throws, leaving the domain as it was, for a token of no enter(). */
    private int index(int token) {
        int idx = (DEBUG ? tracker.exit(token) : token) ^ tag;
        if ((idx & ~1) != 0) {
            throw badToken(token);
        }
        return idx;
    }

    private void afterExit(int idx) {
        if (drainingIdx == idx) { // pairs with drain()'s publish, barrier, rescan; see the notes
            LockSupport.unpark(waiter); // unpark(null) is a no-op: a benign race with the reset
        }
    }

    /**
     * A view of this domain for the calling thread: the same sections as {@link #enter()} and
     * {@link #exit(int)}, without finding the thread's slot again on every call. Make one per
     * thread and keep it where only that thread reaches it (a local variable of a reader loop, a
     * field of the thread's own task), as with {@link java.util.concurrent.ThreadLocalRandom#current()}:
     * a call from any other thread throws. Making one may register the thread's slot: do it
     * outside the hot loop.
     *
     * @return a view confined to the calling thread
     * @see Local
     */
    public Local local() {
        return new Local(this);
    }

    /**
     * A thread's own view of a {@link GraceDomain}, made by {@link GraceDomain#local()}: its
     * {@link #enter()} and {@link #exit(int)} are the domain's, with the thread's slot found once
     * instead of on every call (the lookup costs about as much as a section's stores). On a
     * virtual thread (or past 65,536 platform threads counting at once), a Local
     * simply calls the domain.
     *
     * <p>Sections entered through a Local are the domain's sections: {@link GraceDomain#synchronize()}
     * waits for them, and their tokens may be passed to {@link GraceDomain#exit(int)} on any thread
     * (or a token of the domain's {@code enter()} to this Local's {@code exit} on its thread). The
     * ordering is the domain's own: the same stores on the same slot (jcstress
     * {@code LocalUnpublishThenFree} checks the Local's path).
     *
     * <p>Confined: every method throws {@link IllegalStateException} when called from a thread other
     * than the one that made the Local, and leaves the domain as it was. A Local holds its thread
     * (strongly): do not keep it after the thread ends.
     */
    public static final class Local {
        private final GraceDomain domain;
        private final Thread owner;
        /** The owner's slot of the domain; null: every call goes to the domain itself. */
        private final ReaderCounts.Slot slot;

        private Local(GraceDomain domain) {
            this.domain = domain;
            this.owner = Thread.currentThread();
            this.slot = domain.counts.ownSlot();
        }

        /**
         * {@link GraceDomain#enter()}, from the thread that made this Local.
         *
         * @return the token to pass to {@link #exit(int)} or {@link GraceDomain#exit(int)}
         * @throws IllegalStateException if called from another thread; no section was begun
         */
        public int enter() {
            checkOwner("enter()");
            GraceDomain d = domain;
            ReaderCounts.Slot s = slot;
            if (s == null) {
                return d.enter();
            }
            int idx = d.current; // as in GraceDomain.enter()
            if (MODE == ReaderCounts.Mode.UP_VOLATILE) { // the same store on the same slot as GraceDomain.enter()
                ReaderCounts.upVolatile(s, idx);
            } else {
                ReaderCounts.upRelease(s, idx);
            }
            return d.token(idx);
        }

        /**
         * {@link GraceDomain#exit(int)}, from the thread that made this Local.
         *
         * @param token what the section's {@code enter()} returned
         * @throws IllegalStateException if called from another thread; the section is still open
         * @throws IllegalArgumentException as {@link GraceDomain#exit(int)}
         */
        public void exit(int token) {
            checkOwner("exit(int)");
            GraceDomain d = domain;
            ReaderCounts.Slot s = slot;
            if (s == null) {
                d.exit(token);
                return;
            }
            int idx = d.index(token);
            ReaderCounts.down(s, idx);
            d.afterExit(idx);
        }

        /**
         * The domain this is a view of.
         *
         * @return the domain
         */
        public GraceDomain domain() {
            return domain;
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
                throw new IllegalStateException(operation + " on a GraceDomain.Local made by thread \""
                        + owner.getName() + "\", called from thread \"" + t.getName() + "\": a Local is confined "
                        + "to the thread that made it (call local() on this thread, or call the GraceDomain "
                        + "itself); the domain was left as it was");
            }
        }

        @Override
        public String toString() {
            return "GraceDomain.Local[thread " + owner.getName()
                    + (slot == null ? ", no slot of its own" : ", own slot") + ", " + domain + "]";
        }
    }

    // ---------------------------------------------------------------- updaters

    /**
     * Waits until every section that began before this call has ended. Sections that begin after
     * the grace period has flipped the epoch index are not waited for (see the class notes on
     * starvation). Concurrent callers share grace periods. The interrupt status is kept, not acted
     * on.
     *
     * @throws IllegalStateException with the debug property set, if the calling thread is inside
     *         a section of this domain (it would wait for itself)
     */
    public void synchronize() {
        checkNotInSection("synchronize()");
        awaitGracePeriod();
    }

    /** synchronize() without the debug check: also what the action thread runs. */
    void awaitGracePeriod() {
        if (waits.awaitForever(snapshot()) == MISUSE) {
            throw moreExitsThanEnters();
        }
    }

    /**
     * Waits at most {@code timeout} until every section that began before this call has ended.
     *
     * @return {@code true} if they have; {@code false} if the time ran out first (a grace period
     *         may be left half done: that costs the next one nothing)
     * @param timeout the longest time to wait
     * @param unit the unit of {@code timeout}
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalStateException as {@link #synchronize()}
     */
    public boolean trySynchronize(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = Waits.timeoutNanos(timeout, unit);
        checkNotInSection("trySynchronize(timeout, unit)");
        long target = snapshot();
        int r = waits.awaitTimed(target, nanos, System.nanoTime() + nanos);
        if (r == MISUSE) {
            throw moreExitsThanEnters();
        }
        return r == DONE;
    }

    /**
     * The former name of {@link #trySynchronize(long, TimeUnit)}: every timed wait of the library
     * is spelled {@code tryX(timeout, unit)}.
     *
     * @param timeout the longest time to wait
     * @param unit the unit of {@code timeout}
     * @return as {@link #trySynchronize(long, TimeUnit)}
     * @throws InterruptedException if interrupted while waiting
     * @deprecated use {@link #trySynchronize(long, TimeUnit)}
     */
    @Deprecated
    public boolean synchronize(long timeout, TimeUnit unit) throws InterruptedException {
        return trySynchronize(timeout, unit);
    }

    /**
     * Runs a grace period if that needs no waiting: never blocks, never parks.
     *
     * <p>{@code false} is not definitive: it says a section was open, or another thread was running
     * a grace period, at the instant of the call.
     *
     * @return {@code true} iff a full grace period completed within this call, so every section
     *         that began before the call has ended
     * @throws IllegalStateException as {@link #synchronize()}
     */
    public boolean trySynchronize() {
        checkNotInSection("trySynchronize()");
        if (!waits.lock.tryLock()) {
            return false;
        }
        try {
            int r = runGracePeriod(Waits.Mode.TRY, 0L);
            if (r == MISUSE) {
                throw moreExitsThanEnters();
            }
            return r == DONE;
        } finally {
            waits.lock.unlock();
        }
    }

    // ---------------------------------------------------------------- deferred actions

    /**
     * Queues {@code action} to run after a grace period, on this domain's action thread, after the
     * actions queued before it. Never blocks. Allocates a queue node.
     *
     * @param action what to run; it must not block for long (it delays the actions after it)
     * @throws IllegalStateException if the domain is closed
     */
    public void callAfterGrace(Runnable action) {
        Objects.requireNonNull(action, "action");
        actions.add(action);
    }

    /**
     * Waits until every action queued by {@link #callAfterGrace} before this call has run
     * ({@code rcu_barrier}). After {@link #close()} has returned, returns at once.
     *
     * @throws IllegalStateException if called from a deferred action (it would wait for itself)
     *         or, with the debug property set, from inside a section of this domain
     */
    public void barrier() {
        if (!actions.isWorker()) {
            checkNotInSection("barrier()");
        }
        actions.barrier();
    }

    /**
     * Refuses new actions, runs the queued ones (each after a grace period) and stops the action
     * thread. Idempotent. Readers and {@code synchronize()} keep working after close. Called from
     * a deferred action it does not wait (the actions left run after the calling one returns).
     * A domain that becomes unreachable without {@code close()} stops its thread too, after
     * running what was queued.
     *
     * @throws IllegalStateException with the debug property set, if the calling thread is inside
     *         a section of this domain (the final grace period would wait for it)
     */
    @Override
    public void close() {
        checkNotInSection("close()");
        actions.close();
    }

    // ---------------------------------------------------------------- grace periods

    /** Outcomes of a wait. */
    private static final int DONE = GracePeriodWaits.DONE, TIMED_OUT = GracePeriodWaits.TIMED_OUT,
            INTERRUPTED = GracePeriodWaits.INTERRUPTED, MISUSE = GracePeriodWaits.MISUSE;

    /** The gpSeq value at which a grace period that starts after now has completed. */
    private long snapshot() {
        return (gpSeq + 3) & ~1L;
    }

    /**
     * Runs steps (a) to (c) of the notes. The caller holds gpLock.
     *
     * @return DONE, or why not (TIMED_OUT, INTERRUPTED, MISUSE); never INTERRUPTED for FOREVER
     */
    private int runGracePeriod(Waits.Mode mode, long deadline) {
        GracePeriodEvent event = new GracePeriodEvent(); // JFR; a slow path, so the allocation is fine
        event.begin();
        long s = gpSeq;
        gpSeq = s + 1; // odd: a grace period is in progress; callers arriving now need the next one
        int cur = current;
        Flavour.heavyBarrier(); // ASYMMETRIC: every up executed before now is visible to both drains' scans
        int r = drain(cur ^ 1, mode, deadline); // (a) late readers of the old index
        if (r == DONE) {
            current = cur ^ 1; // (b) flip: new sections go to the drained index
            r = drain(cur, mode, deadline); // (c) sections that began before the call
        }
        gpSeq = r == DONE ? s + 2 : s; // a failed attempt is no grace period: waiters keep waiting
        if (event.shouldCommit()) {
            event.domain = name;
            event.readSide = ReadSide.active().name();
            event.outcome = r == DONE ? "DONE" : r == TIMED_OUT ? "TIMED_OUT"
                    : r == INTERRUPTED ? "INTERRUPTED" : "MISUSE";
            event.callersQueued = waits.lock.getQueueLength();
            event.commit();
        }
        return r;
    }

    /**
     * Waits until no section counted on {@code idx} is open. Spins, then parks until an exit on
     * {@code idx} unparks it (FENCED: or a rescan interval passes). The caller holds gpLock (one
     * waiter at a time).
     */
    private int drain(int idx, Waits.Mode mode, long deadline) {
        int r = check(idx); // after the grace period's heavy barrier (runGracePeriod)
        if (r != TIMED_OUT || mode == Waits.Mode.TRY) {
            return r;
        }
        IntSupplier check = () -> check(idx);
        if ((r = GracePeriodWaits.spin(check)) != TIMED_OUT) {
            return r;
        }
        waiter = Thread.currentThread();
        drainingIdx = idx; // publish, barrier, then rescan: pairs with exit()'s store-then-read
        Flavour.heavyBarrier();
        try { // ASYMMETRIC: an exit never misses the waiter, so park until unparked; FENCED: rescan
            return waits.park(this, check, waited -> reportStall(idx, waited), mode, deadline,
                    Flavour.ASYMMETRIC ? 0L : FIRST_RESCAN_NANOS, MAX_RESCAN_NANOS);
        } finally {
            drainingIdx = -1;
            waiter = null;
        }
    }

    /**
     * DONE if no section counted on {@code idx} is open, TIMED_OUT (not yet) if some is, MISUSE
     * if more exits than enters were counted: impossible with correct use (exits are summed first,
     * so every exit counted has its enter counted), so some token was passed to exit() twice.
     */
    private int check(int idx) {
        long pending = counts.pending(idx);
        return pending == 0 ? DONE : pending > 0 ? TIMED_OUT : MISUSE;
    }

    private IllegalStateException moreExitsThanEnters() {
        IllegalStateException e = new IllegalStateException("GraceDomain (" + name + ") counted more exits than "
                + "enters: exit() was called twice for one section (run with -D" + DEBUG_PROPERTY
                + "=true to catch the second exit where it happens); no grace period can complete until "
                + "repair() accepts the corruption");
        if (!corruptionReported) { // says so once, through the logger, even if the caller swallows it
            corruptionReported = true;
            System.getLogger(GracePeriodWaits.LOGGER).log(System.Logger.Level.ERROR, "corrupted " + this, e);
        }
        return e;
    }

    /**
     * The way out of a corrupted domain: when more exits than enters were counted on an epoch
     * index (an {@code exit} called twice for one section, which {@code synchronize()} reports by
     * throwing), adds the missing enters, so that grace periods can complete again, and returns
     * how many it added. Call it on purpose, once the domain was reported corrupted and while no
     * stray exit can still be running. A stray exit while another section was open may have ended
     * that section's protection early; that cannot be seen or repaired (the debug property
     * {@value #DEBUG_PROPERTY} catches the second exit where it happens).
     *
     * @return the number of enters added; 0 if no index was found negative
     */
    public long repair() {
        long added = 0;
        waits.lock.lock();
        try {
            Flavour.heavyBarrier();
            for (int idx = 0; idx < 2; idx++) {
                for (long p = counts.pending(idx); p < 0; p++) {
                    counts.up(idx);
                    added++;
                }
            }
        } finally {
            waits.lock.unlock();
        }
        return added;
    }

    // ---------------------------------------------------------------- stall reports

    /**
     * Sets when a grace period that keeps waiting is reported (an RCU stall warning): once per
     * stall, after {@code threshold}, through {@code reporter}. The report names the domain, the
     * waiting thread, how long it has waited, the epoch index and how many sections are open on
     * it, and, with the debug property {@value #DEBUG_PROPERTY}, every open section with the
     * thread that entered it. The default is 10 s (system property
     * {@value dev.raceless.internal.Stalls#PROPERTY}, milliseconds) and a WARNING through the
     * {@link System.Logger} {@code dev.raceless.grace}.
     *
     * @param threshold how long a grace period may wait before it is reported
     * @param unit the unit of {@code threshold}
     * @param reporter receives each report, on the waiting thread; it should not block
     * @throws IllegalArgumentException if {@code threshold} is not positive
     */
    public void reportStalls(long threshold, TimeUnit unit, Consumer<String> reporter) {
        waits.reportStalls(threshold, unit, reporter);
    }

    private void reportStall(int idx, long waited) {
        long own = counts.ownNet(idx); // the waiting thread's own slot: a hint (sections may end elsewhere)
        String report = "stall: " + this + ": " + Thread.currentThread() + " has waited " + Stalls.millis(waited)
                + " in a grace period for the sections on epoch index " + idx + " (" + counts.pending(idx)
                + " open, counted in " + counts.slotCount() + " thread slots and " + counts.stripes()
                + " shared stripes)" + (own > 0 ? "; the waiting thread itself entered " + own + " more of them"
                + " than it exited: if it still holds one (synchronize() inside its own section), this wait never"
                + " ends" : "") + (DEBUG ? ":" + tracker.describe()
                : "; run with -D" + DEBUG_PROPERTY + "=true to see which threads hold them");
        waits.reportStall("synchronize() of " + this, waited, report);
    }

    // ---------------------------------------------------------------- inspection

    /**
     * The number of grace periods this domain has completed.
     *
     * @return the count since the domain was made
     */
    public long gracePeriodsCompleted() {
        return gpSeq >>> 1;
    }

    /**
     * The read-side flavour this domain's readers use.
     *
     * @return the JVM's flavour, see {@link ReadSide}
     */
    public static ReadSide readSide() {
        return ReadSide.active();
    }

    @Override
    public String toString() {
        return "GraceDomain[" + name + ", " + ReadSide.active() + ", grace periods completed: "
                + gracePeriodsCompleted() + ", thread slots: " + counts.slotCount()
                + (actions.isClosing() ? ", closed" : "") + "]";
    }

    /** The action thread, or null if none was started. For tests. */
    Thread actionThread() {
        return actions.worker();
    }

    // ---------------------------------------------------------------- misuse and debug tracking

    static void logActionFailure(Runnable action, Throwable failure) {
        System.getLogger(GracePeriodWaits.LOGGER).log(System.Logger.Level.WARNING,
                "a deferred action (" + action + ") threw; the other actions go on", failure);
    }

    private IllegalArgumentException badToken(int token) {
        return new IllegalArgumentException("exit(" + token + "): no enter() of this GraceDomain (" + name
                + ") returned this token" + (DEBUG ? ", or its section has already ended" : ""));
    }

    private void checkNotInSection(String operation) {
        if (DEBUG && tracker.inSection(Thread.currentThread())) {
            throw new IllegalStateException(operation + " called inside a section of the same GraceDomain ("
                    + name + ") on the same thread: it would wait for itself; exit the section first");
        }
    }
}
