package dev.raceless.grace;

import dev.raceless.internal.Flavour;
import dev.raceless.internal.Stalls;
import dev.raceless.internal.Threads;
import dev.raceless.internal.VarHandles;
import dev.raceless.internal.Waits;
import dev.raceless.internal.jfr.QuiescentGracePeriodEvent;
import dev.raceless.refcount.ReadSide;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * A domain of quiescent-state grace periods (liburcu's {@code qsbr} flavour) for the JVM: readers
 * pay nothing to read; each registered thread says now and then that it holds no reference read
 * from the domain ({@link Reader#quiescent()}), and an updater that has unpublished an object
 * calls {@link #synchronize()}, which returns once every registered thread has done so, after
 * which nobody can still be using the object.
 *
 * <p><b>The rule.</b> A thread that is online when {@code synchronize()} begins holds, at its next
 * quiescent state (or when it goes offline, unregisters or dies), no reference it read before; a
 * thread that comes online, or passes a quiescent state, after the grace period began reads what
 * was published after the unpublish. So an object unpublished before {@code synchronize()} may be
 * freed after it.
 *
 * <p><b>Readers.</b> A platform thread registers once ({@link #register()}) and gets its
 * {@link Reader}, confined to it. Between two quiescent states the thread reads published objects
 * with plain code: no call, no fence, no store. {@link Reader#quiescent()} costs a load of the
 * domain's counter and a compare while no grace period has begun since the thread's last report,
 * and one volatile store once per grace period. Around blocking or idling a thread goes
 * {@link Reader#offline()} (a grace period does not wait for it) and back {@link Reader#online()};
 * an offline thread must not hold references read from the domain. A thread that dies counts as
 * offline. Virtual threads cannot register: they are unmounted at any blocking call, so they
 * cannot say when they hold nothing; use {@link GraceDomain} for them.
 *
 * <p><b>What a reader may not do.</b> Keep a reference read from the domain past its next
 * quiescent state or {@code offline()}, or use one after {@code unregister}: the object may be
 * freed. A reference that must outlive that is taken under another protection before the
 * quiescent state (a {@link dev.raceless.refcount.UseCount} acquired while still online, then
 * handed over). A thread that stays online without reporting (blocked in I/O, parked in a pool,
 * or alive after dropping its Reader) holds every grace period: such a wait is reported as a
 * stall naming the thread, with its stack ({@link #reportStalls}).
 *
 * <p><b>Updaters.</b> {@code synchronize()} waits for every thread that was online when its grace
 * period began; threads that come online later are not waited for, so new readers cannot starve
 * it. Concurrent callers share grace periods. Waiting spins briefly (only while fewer threads
 * are left to wait for than there are CPUs), then parks; the report (or {@code offline()}, or
 * {@code unregister}) of the last thread the updater waits for unparks it, the reports before it
 * do not. The updater also rescans every 10 ms to notice threads that died.
 * {@link #trySynchronize()} never waits: it succeeds only when no online thread has to be waited
 * for; {@link #trySynchronize(long, TimeUnit)} waits at most that long.
 *
 * <p><b>Deadlock rule.</b> {@code synchronize()}, {@code trySynchronize}, {@code barrier()} and
 * {@code close()} called by a registered online thread of the same domain would wait for the
 * caller itself. They do not: the caller goes offline for the wait and back online after it, as in
 * liburcu. So the call is a quiescent state of the caller: it must hold no reference read from the
 * domain across it (an updater unpublishes first, then synchronizes, then frees what it
 * unpublished, which is the usual order anyway).
 *
 * <p><b>Deferred actions.</b> {@link #callAfterGrace(Runnable)}, {@link #barrier()} and
 * {@link #close()} work as {@link GraceDomain}'s: the actions run in the order queued on a daemon
 * thread owned by the domain, each after a grace period; {@code close()} refuses new actions and
 * runs the queued ones. Readers and {@code synchronize()} keep working after close.
 *
 * <p><b>Executors.</b> {@link #newFixedThreadPool(int)} and {@link QuiescentExecutor} give every task
 * free read sections: the workers register, report a quiescent state between tasks and stay
 * offline while they wait for one.
 *
 * <p><b>Memory.</b> Per domain: a padded counter, a lock and a copy-on-write array of the
 * registered readers. Per registered thread: one padded {@link Reader} (about 180 bytes), a weak
 * reference to the thread (32) and a thread-local entry (about 40): about 250 bytes, released at
 * {@code unregister} or, for a thread that died, at the next registration or unregistration (a
 * grace period that finds a thread died online prunes it too).
 *
 * <p><b>Several domains.</b> Going offline for a wait concerns the domain waited on: a thread online
 * in domain A that calls {@code B.synchronize()} stays online in A, so two threads doing that
 * crosswise wait for each other (as in liburcu). Go offline in A around such a call.
 *
 * <p><b>Memory consistency effects.</b> Actions of a registered thread prior to a quiescent
 * state, {@code offline()}, {@code unregister} or its end happen-before {@code synchronize()}
 * returns, if that thread was online when the grace period began (jcstress
 * {@code QuiescentUnpublishThenFree}). Actions prior to calling {@code synchronize()} happen-before
 * the actions of a thread after its {@code online()} or its quiescent state in which it observed
 * the grace period ({@code QuiescentUnpublishThenFree}, {@code OnlineUnpublishThenFree}).
 * Actions prior to {@code callAfterGrace(action)} happen-before {@code action} runs.
 *
 * <p><b>Sample usage.</b> A routing table read by every task of a pool, replaced now and then:
 * <pre> {@code
 * final QuiescentDomain qsbr = new QuiescentDomain();
 * final ExecutorService pool = qsbr.newFixedThreadPool(8);
 * volatile Routes routes;
 *
 * void handle(Request r) {                 // a task: reads need nothing
 *   routes.lookup(r.path()).serve(r);      // no reference kept past the task
 * }
 *
 * void replace(Routes fresh) {             // updater, any thread
 *   Routes old = routes;
 *   routes = fresh;                        // unpublish
 *   qsbr.synchronize();                    // every worker has finished the task it was running
 *   old.close();                           // nobody can reach it now
 * }}</pre>
 */
public final class QuiescentDomain implements AutoCloseable {
    /*
     * Implementation notes.
     *
     * Design goal: read sections that cost nothing (no call between quiescent states), a
     * quiescent report that costs a load and a compare, and a synchronize() that waits only for
     * threads that are online and have not reported since it began. liburcu's urcu-qsbr with one
     * 64-bit counter (its single-phase grace period), the JVM's liveness check for dead threads.
     *
     * Representation:
     *   gp.value      the grace-period counter (GpCell, padded): starts at 1, +1 per grace period
     *                 begun; written only by the gpLock holder, with an atomic add
     *   Reader.ctr    per registered thread, written only by its owner: 0 offline, else the value
     *                 of gp.value the thread read at its last quiescent state or online()
     *   readers       copy-on-write array of the registered Readers (volatile, under `registry`)
     *   completed     the highest gp.value whose grace period finished; gpCount how many finished
     *   Scan          one grace period's scan: g, the readers p[0..n) still waited for, and for the
     *                 parked phase the waiter (its updater) and pending (marked readers not claimed)
     *   Reader.waitedBy  the Scan of the parked grace period that waits for this reader (a mark),
     *                 or null
     *   waits         GracePeriodWaits, shared with GraceDomain: gpLock (waits.lock), the sharing
     *                 of grace periods, the parked wait with its interrupt policy and stall report
     *
     * Invariants:
     *   1. Only the gpLock holder begins a grace period (adds 1 to gp.value) or waits for one.
     *   2. A Reader's ctr is written by its owner only; it is 0 or a value gp.value had.
     *   3. A thread that stores ctr = g has read gp.value = g, with an acquire load, before the
     *      store (so ctr never runs ahead of what the thread has seen).
     *   4. A Reader is in `readers` (a volatile store) before its first online store.
     *   5. Only the gpLock holder marks (waitedBy = its Scan), once per reader per Scan, and only
     *      the readers it still waits for when it stops spinning; a mark is removed only by a
     *      claim, CAS(waitedBy, scan, null), so each marked reader is claimed exactly once.
     *   6. A reader claims itself only after a volatile store of a ctr that passes the Scan's g (0,
     *      or >= g); the updater claims each reader its rescans drop, and at the end of the wait
     *      every reader still marked: no mark outlives its grace period.
     *   7. Each claim of the parked phase subtracts 1 from that Scan's pending (set to the number
     *      marked before the first mark), so pending is 0 exactly when every marked reader is
     *      claimed. The reader whose claim takes it to 0 unparks the waiter; no other report does.
     *
     * A grace period (runGracePeriod): g = getAndAdd(gp.value, 1) + 1, then scan every Reader r:
     *   ctr >= g       r reported after reading g: passed;
     *   ctr == 0       offline: passed (ASYMMETRIC: only if read after a heavy barrier that ran
     *                  after the add; the first such zero triggers one barrier and a rescan);
     *   0 < ctr < g    online since before g: wait, unless its thread has died.
     * The wait rescans with onSpinWait a little (only while fewer readers are left than CPUs:
     * else the spin takes a CPU from a reader it waits for), then marks the readers it still waits for
     * (Scan.mark) and parks, rescanning when the last of them unparks it and at growing
     * intervals (a thread that dies wakes no one); when the wait ends it claims the readers left.
     *
     * The rule, the proof sketch (quiescent state, offline, online, registration, death, sharing)
     * and the wake-up argument are written once, in docs/quiescent-domain.md, "Proof"; they rest
     * on invariants 1-7 and on the scan above (jcstress QuiescentUnpublishThenFree,
     * OnlineUnpublishThenFree, QuiescentWakesOnLastReport and their broken twins). The marks
     * decide wake-ups only: whether a grace period is done is always the rescan's answer.
     *
     * Rejected: a fence in quiescent() (liburcu's smp_mb before and after the store): a release
     * store after an acquire load is all the rule needs, and the fast path stores nothing. A
     * ThreadLocal lookup in quiescent() (a hash probe per call): the Reader is the thread's
     * handle. Throwing in synchronize() on a registered online thread: a pool task that replaces
     * a table would need to know it runs in the pool; liburcu's offline-for-the-wait keeps such
     * code simple. A fence in every online() in ASYMMETRIC too (no membarrier when a reader is
     * seen offline): the read side's flavour decides for every primitive of the library alike.
     * An unpark at every report while an updater waits: a wake-up per reader per grace period,
     * each a context switch that takes a CPU from the readers. A grace-period number as the mark
     * (long waitedBy = g) with one pending count per domain: a claim that lands after its grace
     * period gave up would subtract from the next one's count; a Scan is marked once and counts
     * its own claims, so a late claim changes only a finished Scan.
     *
     * Order of the file: registration, grace periods (synchronize family), deferred actions,
     * stall reports, inspection, then Reader and the VarHandle mechanics.
     */

    /**
     * The park between rescans of a waiting grace period (dead threads wake no one). Longer than
     * a kernel tick on purpose: a timed park that ends before the CPU's next timer event makes the
     * kernel program its timer for it, and on a virtual machine that can cost every wake-up of the
     * parked updater several microseconds (docs/quiescent-domain.md, "Wake-up").
     */
    private static final long FIRST_RESCAN_NANOS = 10_000_000L, MAX_RESCAN_NANOS = 10_000_000L;
    private static final Reader[] NONE = new Reader[0];
    private static final int CPUS = Runtime.getRuntime().availableProcessors();
    private static final AtomicInteger DOMAINS = new AtomicInteger();

    private final String name;
    private final GpCell gp = new GpCell();
    /** Registered readers; replaced (copy-on-write) under the monitor of {@code registry}. */
    private volatile Reader[] readers = NONE;
    private final Object registry = new Object();
    /** The calling thread's Reader, for synchronize() on a registered thread and {@link #reader()}. */
    private final ThreadLocal<Reader> current = new ThreadLocal<>();
    /** The lock one grace period at a time runs under (gpLock), sharing, waiting, stall reports. */
    private final GracePeriodWaits waits;
    /** callAfterGrace, barrier and close: the queue and the action thread. */
    private final DeferredActions actions;
    /** The highest gp value whose grace period completed. */
    private volatile long completed;
    /** Grace periods completed. */
    private volatile long gpCount;
    /** Parked updaters unparked by a reader's claim (the last one each waited for). For tests. */
    private volatile long wakeUps;
    /** The first park between rescans of a parked grace period; 0: none, rescan only when woken. */
    private final long firstRescanNanos;

    /** Creates a domain whose deferred actions report failures through a {@link System.Logger}. */
    public QuiescentDomain() {
        this("qsbr-" + DOMAINS.incrementAndGet(), GraceDomain::logActionFailure);
    }

    /**
     * Creates a domain.
     *
     * @param name names the domain in reports and its action thread ({@code raceless-<name>-actions})
     * @param errorHandler receives each deferred action that threw, with what it threw; runs on
     *        the action thread and should not block
     */
    public QuiescentDomain(String name, BiConsumer<? super Runnable, ? super Throwable> errorHandler) {
        this(name, errorHandler, true);
    }

    /**
     * A domain whose parked grace periods rescan at growing intervals ({@code timedRescans}), or
     * only when a reader's claim wakes them. For tests: without the timed rescans a missed
     * wake-up parks forever instead of costing a rescan, and a thread that dies online holds
     * every grace period.
     */
    QuiescentDomain(String name, BiConsumer<? super Runnable, ? super Throwable> errorHandler,
                    boolean timedRescans) {
        this.firstRescanNanos = timedRescans ? FIRST_RESCAN_NANOS : 0L;
        this.actions = new DeferredActions(this, d -> ((QuiescentDomain) d).awaitGracePeriod(), "QuiescentDomain",
                name, errorHandler); // checks name and errorHandler
        this.name = name;
        gp.value = 1L;
        completed = 1L;
        this.waits = new GracePeriodWaits(this, target -> completed - target >= 0, this::runGracePeriod);
    }

    // ---------------------------------------------------------------- registration

    /**
     * Registers the calling platform thread as a reader of this domain, online. Keep the returned
     * Reader where only this thread reaches it and call {@link Reader#unregister()} (or
     * {@code close()}) before the thread ends or stops reading; a thread that dies without it
     * counts as offline.
     *
     * @return the calling thread's Reader, online
     * @throws UnsupportedOperationException on a virtual thread (use {@link GraceDomain})
     * @throws IllegalStateException if the calling thread is registered with this domain already
     */
    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+, and this is release 17
    public Reader register() {
        Thread t = Thread.currentThread();
        if (Threads.isVirtual(t)) {
            throw new UnsupportedOperationException("register() on virtual thread " + t + ": a QuiescentDomain "
                    + "needs threads that say when they hold no reference, and a virtual thread can be unmounted "
                    + "at any blocking call; use a GraceDomain (enter()/exit() sections) on virtual threads");
        }
        Reader existing = current.get();
        if (existing != null) {
            throw new IllegalStateException("register() on thread \"" + t.getName() + "\", which is registered "
                    + "with " + this + " already: keep the Reader it returned (or reader()); nothing was changed");
        }
        Reader r = new Reader(this, t);
        synchronized (registry) {
            Reader[] rs = pruned(readers);
            Reader[] next = Arrays.copyOf(rs, rs.length + 1);
            next[rs.length] = r;
            readers = next; // volatile: published before r's first online store (invariant 4)
        }
        current.set(r);
        r.goOnline(true); // fenced in both flavours: the publish above is a volatile store
        return r;
    }

    /**
     * The calling thread's registration with this domain, for code that did not register the
     * thread itself (a task on a {@link QuiescentExecutor} that goes offline around a blocking
     * call). A thread-local lookup: keep the result rather than call this in a loop.
     *
     * @return the calling thread's Reader, or null if the thread is not registered
     */
    public Reader reader() {
        return current.get();
    }

    private void unregister(Reader r) {
        synchronized (registry) {
            Reader[] rs = readers;
            int n = 0;
            Reader[] next = new Reader[rs.length];
            for (Reader x : rs) {
                if (x != r && x.ownerAlive()) {
                    next[n++] = x;
                }
            }
            readers = n == 0 ? NONE : Arrays.copyOf(next, n);
        }
        current.remove();
    }

    /** {@code rs} without the Readers of dead threads; the caller holds the registry monitor. */
    private static Reader[] pruned(Reader[] rs) {
        int dead = 0;
        for (Reader x : rs) {
            if (!x.ownerAlive()) {
                dead++;
            }
        }
        if (dead == 0) {
            return rs;
        }
        Reader[] next = new Reader[rs.length - dead];
        int n = 0;
        for (Reader x : rs) {
            if (x.ownerAlive()) {
                next[n++] = x;
            }
        }
        return next;
    }

    private void pruneDead() {
        synchronized (registry) {
            readers = pruned(readers);
        }
    }

    // ---------------------------------------------------------------- grace periods

    /**
     * Waits until every registered thread that is online now has passed a quiescent state, gone
     * offline, unregistered or died. Threads that come online later are not waited for.
     * Concurrent callers share grace periods. Called on a registered online thread of this
     * domain, the caller goes offline for the wait (see the deadlock rule). The interrupt status
     * is kept, not acted on.
     */
    public void synchronize() {
        Reader self = goOfflineForWait();
        try {
            awaitGracePeriod();
        } finally {
            backOnline(self);
        }
    }

    /** synchronize() without the self check: also what the action thread runs. */
    void awaitGracePeriod() {
        waits.awaitForever(arrive()); // DONE: a QuiescentDomain has no misuse a grace period finds
    }

    /**
     * Waits at most {@code timeout} until every registered thread that is online now has passed a
     * quiescent state, gone offline, unregistered or died.
     *
     * @param timeout the longest time to wait
     * @param unit the unit of {@code timeout}
     * @return {@code true} if they have; {@code false} if the time ran out first (definitive for
     *         this call: some online thread had not reported)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean trySynchronize(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = Waits.timeoutNanos(timeout, unit);
        long deadline = System.nanoTime() + nanos;
        Reader self = goOfflineForWait();
        try {
            return waits.awaitTimed(arrive(), nanos, deadline) == DONE;
        } finally {
            backOnline(self);
        }
    }

    /**
     * Runs a grace period if that needs no waiting: never blocks, never parks. Succeeds only when
     * no registered thread other than the caller is online (the caller's own call is its
     * quiescent state), and no other thread holds the grace-period lock.
     *
     * <p>{@code false} is not definitive: it says some thread was online, or another caller was
     * running a grace period, at the instant of the call.
     *
     * @return {@code true} iff a full grace period completed within this call
     */
    public boolean trySynchronize() {
        if (!waits.lock.tryLock()) {
            return false;
        }
        Reader self = goOfflineForWait();
        try {
            Reader[] rs = readers;
            for (Reader r : rs) { // anyone online would have to be waited for: no grace period begins
                if (r.ctr != 0L && r.ownerAlive()) { // volatile read
                    return false;
                }
            }
            return runGracePeriod(Waits.Mode.TRY, 0L) == DONE;
        } finally {
            backOnline(self);
            waits.lock.unlock();
        }
    }

    /** The caller's Reader if it was online and is now offline for the wait, else null. */
    private Reader goOfflineForWait() {
        Reader self = current.get();
        if (self != null && self.ctr != 0L) {
            self.offline();
            return self;
        }
        return null;
    }

    private static void backOnline(Reader self) {
        if (self != null && !self.closed) {
            self.goOnline(false);
        }
    }

    /**
     * A caller's arrival: reads gp.value with an atomic add of 0 (a volatile write, so the next
     * grace period's add reads after it; see the notes on sharing) and returns the completed value
     * that covers this call.
     */
    private long arrive() {
        return (long) GP_VALUE.getAndAdd(gp, 0L) + 1L;
    }

    /** Outcomes of a wait. */
    private static final int DONE = GracePeriodWaits.DONE, TIMED_OUT = GracePeriodWaits.TIMED_OUT,
            INTERRUPTED = GracePeriodWaits.INTERRUPTED;

    /**
     * Begins a grace period and waits for it as {@code mode} allows. The caller holds gpLock.
     *
     * @return DONE, TIMED_OUT (also for TRY with a reader to wait for) or INTERRUPTED; never
     *         INTERRUPTED for FOREVER
     */
    private int runGracePeriod(Waits.Mode mode, long deadline) {
        QuiescentGracePeriodEvent event = new QuiescentGracePeriodEvent(); // JFR; a slow path
        event.begin();
        long g = (long) GP_VALUE.getAndAdd(gp, 1L) + 1L; // begins it; pairs with quiescent()'s acquire load
        Reader[] rs = readers; // volatile read after the add: see "Registration" in the notes
        Scan scan = new Scan(g, rs.clone());
        int r = scan.check();
        int waitedFor = scan.n;
        if (r == TIMED_OUT && mode != Waits.Mode.TRY) {
            r = await(scan, mode, deadline);
        }
        if (r == DONE) {
            completed = g;
            gpCount = gpCount + 1; // written under gpLock only
        }
        if (scan.sawDead) {
            pruneDead();
        }
        if (event.shouldCommit()) {
            event.domain = name;
            event.readSide = ReadSide.active().name();
            event.outcome = r == DONE ? "DONE" : r == INTERRUPTED ? "INTERRUPTED"
                    : mode == Waits.Mode.TRY ? "BUSY" : "TIMED_OUT";
            event.readersRegistered = rs.length;
            event.readersWaitedFor = waitedFor;
            event.callersQueued = waits.lock.getQueueLength();
            event.commit();
        }
        return r;
    }

    /**
     * One grace period's scanning state: {@code p[0..n)} are the readers still to wait for. Once
     * the wait parks, also what its readers' reports need to wake it (invariants 5-7): the
     * waiter and the count of marked readers not yet claimed. Used by the updater only, but for
     * {@code g}, {@code waiter} and {@code pending}, which marked readers read.
     */
    private static final class Scan {
        final long g;
        final Reader[] p;
        int n;
        /** Whether a ctr read as 0 is definitive: always in FENCED, after one heavy barrier in ASYMMETRIC. */
        boolean zeroDefinitive = !Flavour.ASYMMETRIC;
        boolean sawDead;
        /** The updater, unparked by the reader whose claim takes {@code pending} to 0. */
        final Thread waiter = Thread.currentThread();
        /** Marked readers not yet claimed; set before the first mark (invariant 7). */
        volatile int pending;
        /** Whether p[0..n) are marked: from then on each reader run() drops is claimed. */
        boolean marked;
        /** This updater's own claim took pending to 0: no reader will unpark it. */
        boolean claimedLast;

        Scan(long g, Reader[] p) {
            this.g = g;
            this.p = p;
            this.n = p.length;
        }

        /**
         * Rescans: DONE if no reader is left to wait for, else TIMED_OUT (not yet). A rescan whose
         * own claim took the last marked reader rescans once more: every marked reader is
         * claimed, those it kept claimed themselves after storing a passing ctr, and the second
         * rescan sees them ("Wake-up" in docs/quiescent-domain.md).
         */
        int check() {
            n = run(p, n);
            if (claimedLast && n != 0) {
                claimedLast = false;
                n = run(p, n);
            }
            return n == 0 ? DONE : TIMED_OUT;
        }

        /**
         * Marks the readers still waited for, before the wait parks: pending first, then each
         * mark, then the caller rescans (the updater's half of the wake-up Dekker).
         */
        void mark() {
            pending = n; // volatile; read by claims that read a mark stored after it
            for (int i = 0; i < n; i++) {
                WAITED_BY.setVolatile(p[i], this); // volatile: pairs with the reader's read after its ctr store
            }
            marked = true;
        }

        /** At the end of the wait, whatever its outcome: claims the readers still marked (invariant 6). */
        void unmark() {
            if (marked) {
                for (int i = 0; i < n; i++) {
                    // no count: nobody waits on it now; lost: the reader claimed, and counts itself
                    WAITED_BY.compareAndSet(p[i], this, null);
                }
            }
        }

        /** The updater's claim of a reader its rescan dropped. */
        private void drop(Reader r) {
            // the reader's claim CASes the same mark: one of the two wins (invariant 5)
            if (marked && WAITED_BY.compareAndSet(r, this, null) && countClaim()) {
                claimedLast = true;
            }
        }

        /** Counts one claim; true for the claim that takes pending to 0 (invariant 7). */
        boolean countClaim() {
            return (int) PENDING.getAndAdd(this, -1) == 1; // xadd: after every earlier claim's, see check()
        }

        /**
         * Keeps in {@code p[0..n)} the readers still to wait for and returns how many. ASYMMETRIC:
         * the first zero not yet definitive costs one heavy barrier and a rescan.
         */
        int run(Reader[] p, int n) {
            boolean zeroSeen = false;
            int k = 0;
            for (int i = 0; i < n; i++) {
                Reader r = p[i];
                long c = r.ctr; // volatile: the FENCED online Dekker, and the wake-up Dekker's read
                if (c - g >= 0) {
                    drop(r);
                    continue; // reported after reading g
                }
                if (c == 0L) {
                    if (!zeroDefinitive) {
                        zeroSeen = true;
                        p[k++] = r;
                    } else {
                        drop(r);
                    }
                    continue; // offline
                }
                if (!r.ownerAlive()) { // isAlive(): happens-after the thread's last action
                    sawDead = true;
                    drop(r);
                    continue;
                }
                p[k++] = r;
            }
            if (zeroSeen) {
                Flavour.heavyBarrier(); // after the add: an online store it misses is followed by a re-read >= g
                zeroDefinitive = true;
                return run(p, k);
            }
            return k;
        }
    }

    /** Waits until no reader of the scan is left to wait for. The caller holds gpLock. */
    private int await(Scan scan, Waits.Mode mode, long deadline) {
        IntSupplier check = scan::check;
        // Spin only while a CPU is left over: with as many online readers to wait for as CPUs, a
        // spinning updater takes a CPU from the very readers it waits for.
        int r = scan.n < CPUS ? GracePeriodWaits.spin(check) : check.getAsInt();
        if (r != TIMED_OUT) {
            return r;
        }
        scan.mark(); // then park's first rescan: the updater's store-then-read of the wake-up Dekker
        try { // dead threads wake no one: rescan at growing intervals
            return waits.park(this, check, waited -> reportStall(scan, waited), mode, deadline,
                    firstRescanNanos, MAX_RESCAN_NANOS);
        } finally {
            scan.unmark(); // timed out, interrupted or done: no mark outlives the grace period
        }
    }

    /**
     * A reader's side of the wake-up, after its volatile store of {@code ctr = c}: if a parked
     * grace period marked the reader and {@code c} passes it, claims the reader; the claim that
     * takes the count to 0 unparks the updater.
     */
    private void claim(Reader r, long c) {
        Scan s = r.waitedBy; // volatile: the read of the wake-up Dekker, after the store of ctr
        if (s != null && (c == 0L || c - s.g >= 0) && WAITED_BY.compareAndSet(r, s, null) && s.countClaim()) {
            // Benign race: s's updater may have returned already (its rescan saw this store and
            // lost the claim to this reader); the unpark is then a spurious wake-up of that thread.
            WAKE_UPS.getAndAdd(this, 1L);
            LockSupport.unpark(s.waiter);
        }
    }

    /** How many parked updaters a reader's claim has unparked (one per parked wait at most). For tests. */
    long wakeUps() {
        return wakeUps;
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
     * ({@code rcu_barrier}). Called on a registered online thread, the caller goes offline for the
     * wait. After {@link #close()} has returned, returns at once.
     *
     * @throws IllegalStateException if called from a deferred action (it would wait for itself)
     */
    public void barrier() {
        offlineAround(actions::barrier);
    }

    /**
     * Refuses new actions, runs the queued ones (each after a grace period) and stops the action
     * thread. Idempotent. Readers and {@code synchronize()} keep working after close. Called on a
     * registered online thread, the caller goes offline for the wait.
     */
    @Override
    public void close() {
        offlineAround(actions::close);
    }

    /**
     * Runs a wait for the deferred actions with the caller offline, as synchronize() does; not on
     * the action thread (it never waits for its own actions: barrier() throws, close() returns).
     */
    private void offlineAround(Runnable wait) {
        Reader self = actions.isWorker() ? null : goOfflineForWait();
        try {
            wait.run();
        } finally {
            backOnline(self);
        }
    }

    // ---------------------------------------------------------------- stall reports

    /**
     * Sets when a grace period that keeps waiting is reported (an RCU stall warning): once per
     * stall, after {@code threshold}, through {@code reporter}. The report names the domain, the
     * waiting thread, how long it has waited, and every online thread that has not passed a
     * quiescent state since the grace period began, with its state and stack. The default is
     * 10 s (system property {@value dev.raceless.internal.Stalls#PROPERTY}, milliseconds) and a
     * WARNING through the {@link System.Logger} {@code dev.raceless.grace}.
     *
     * @param threshold how long a grace period may wait before it is reported
     * @param unit the unit of {@code threshold}
     * @param reporter receives each report, on the waiting thread; it should not block
     * @throws IllegalArgumentException if {@code threshold} is not positive
     */
    public void reportStalls(long threshold, TimeUnit unit, Consumer<String> reporter) {
        waits.reportStalls(threshold, unit, reporter);
    }

    private void reportStall(Scan scan, long waited) {
        long g = scan.g;
        Reader[] p = scan.p;
        int n = scan.n;
        StringBuilder report = new StringBuilder("stall: ").append(this).append(": ")
                .append(Thread.currentThread()).append(" has waited ").append(Stalls.millis(waited))
                .append(" in grace period ").append(g).append(" for ").append(n)
                .append(" online thread(s) that have not passed a quiescent state:");
        for (int i = 0; i < n; i++) {
            Reader r = p[i];
            Thread t = r.owner.get();
            report.append("\n  thread \"").append(t == null ? "(collected)" : t.getName()).append("\" (id ")
                    .append(r.ownerId).append(t == null ? "" : ", " + t.getState())
                    .append("), last quiescent state in grace period ").append((long) CTR.getAcquire(r));
            if (t != null) {
                for (StackTraceElement e : t.getStackTrace()) {
                    report.append("\n\tat ").append(e);
                }
            }
        }
        waits.reportStall("synchronize() of " + this, waited, report.toString());
    }

    // ---------------------------------------------------------------- executors

    /**
     * A fixed pool of {@code nThreads} platform worker threads registered with this domain, with
     * an unbounded queue: {@link QuiescentExecutor} with the pool sizes of
     * {@link java.util.concurrent.Executors#newFixedThreadPool(int)}.
     *
     * @param nThreads the number of workers
     * @return the pool
     * @throws IllegalArgumentException if {@code nThreads} is not positive
     */
    public QuiescentExecutor newFixedThreadPool(int nThreads) {
        if (nThreads <= 0) {
            throw new IllegalArgumentException("newFixedThreadPool(" + nThreads + "): the pool needs at least one "
                    + "thread");
        }
        return new QuiescentExecutor(this, nThreads, nThreads, 0L, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>());
    }

    // ---------------------------------------------------------------- inspection

    /**
     * The number of grace periods this domain has completed.
     *
     * @return the count since the domain was made
     */
    public long gracePeriodsCompleted() {
        return gpCount;
    }

    /**
     * The number of registered threads, dead ones not yet pruned included.
     *
     * @return the registered readers
     */
    public int registeredReaders() {
        return readers.length;
    }

    /**
     * The read-side flavour: it decides whether {@link Reader#online()} fences or the updater
     * runs a heavy barrier.
     *
     * @return the JVM's flavour, see {@link ReadSide}
     */
    public static ReadSide readSide() {
        return ReadSide.active();
    }

    /** The action thread, or null if none was started. For tests. */
    Thread actionThread() {
        return actions.worker();
    }

    @Override
    public String toString() {
        return "QuiescentDomain[" + name + ", " + ReadSide.active() + ", grace periods completed: " + gpCount
                + ", registered threads: " + readers.length + (actions.isClosing() ? ", closed" : "") + "]";
    }

    // ---------------------------------------------------------------- readers

    /** The grace-period counter alone on its cache lines: read by every quiescent(). */
    @SuppressWarnings("unused")
    static final class GpCell {
        long p00, p01, p02, p03, p04, p05, p06, p07;
        volatile long value;
        long q00, q01, q02, q03, q04, q05, q06, q07;
    }

    /** 64 bytes before a Reader's fields. */
    @SuppressWarnings("unused")
    abstract static class ReaderHead {
        long p00, p01, p02, p03, p04, p05, p06, p07;
    }

    /** A Reader's fields. */
    abstract static class ReaderFields extends ReaderHead {
        /** 0 offline, else the gp value of the last report; written by the owner only. */
        volatile long ctr;
        /** The parked grace period that marked this reader, until one side claims it (invariant 5). */
        volatile Scan waitedBy;
        /** The owner's thread id, for the confinement check. */
        final long ownerId;
        final WeakReference<Thread> owner;
        final GpCell gp;
        final QuiescentDomain domain;
        /** Unregistered; written and read by the owner only. */
        boolean closed;

        @SuppressWarnings("deprecation") // Thread.getId(): release 17
        ReaderFields(QuiescentDomain domain, Thread owner) {
            this.domain = domain;
            this.gp = domain.gp;
            this.owner = new WeakReference<>(owner); // weak: a dead thread's loader must not be kept
            this.ownerId = owner.getId();
        }
    }

    /**
     * A platform thread's registration with a {@link QuiescentDomain}, made by
     * {@link QuiescentDomain#register()}: the thread reports its quiescent states, and goes
     * offline and online, through it.
     *
     * <p>Confined: every method throws {@link IllegalStateException} when called from a thread
     * other than the one that registered, and leaves the registration as it was. Misuse of the
     * state machine (a quiescent state while offline, {@code online()} twice, any call after
     * {@code unregister}) throws {@link IllegalStateException} and changes nothing.
     *
     * <p><b>States.</b> online (after {@code register()} and {@code online()}), offline (after
     * {@code offline()}), unregistered (after {@code unregister()}/{@code close()}, final).
     * {@code quiescent()} is allowed online only; {@code offline()} online only;
     * {@code online()} offline only.
     */
    @SuppressWarnings("unused")
    public static final class Reader extends ReaderFields implements AutoCloseable {
        long q00, q01, q02, q03, q04, q05, q06, q07;

        Reader(QuiescentDomain domain, Thread owner) {
            super(domain, owner);
        }

        /**
         * Reports a quiescent state: the calling thread holds no reference it read from the
         * domain before this call. Allocates nothing; while no grace period has begun since the
         * last report, a load and a compare; else one volatile store and a volatile load (and,
         * for a parked updater that waits for this thread, a compare-and-set and an atomic
         * decrement; an unpark if this is the last thread it waits for).
         *
         * @throws IllegalStateException if called from another thread, while offline or after
         *         unregister
         */
        @SuppressWarnings("deprecation") // Thread.getId(): release 17
        public void quiescent() {
            // FENCED: a volatile load (a synchronization action, so the proof stays inside the JLS
            // happens-before model); ASYMMETRIC: an acquire load. Same instruction on x86.
            long g = Flavour.ASYMMETRIC ? (long) GP_VALUE.getAcquire(gp) : (long) GP_VALUE.getVolatile(gp);
            if (g != (long) CTR.get(this) || Thread.currentThread().getId() != ownerId) { // plain: own field
                report(g);
            }
        }

        /** The slow path of quiescent(): a new grace period began, or misuse. */
        private void report(long g) {
            check("quiescent()");
            if (ctr == 0L) {
                throw new IllegalStateException("quiescent() on an offline Reader of " + domain + " (thread \""
                        + threadName() + "\"): call online() first; nothing was changed");
            }
            if (ctr != g) {
                CTR.setVolatile(this, g); // release of the reads before; volatile for the wake-up Dekker
                domain.claim(this, g);
            }
        }

        /**
         * Goes offline: grace periods stop waiting for this thread until {@link #online()}. The
         * thread must hold no reference read from the domain while offline. One volatile store
         * and a volatile load (and a parked updater's wake-up, as {@link #quiescent()}).
         *
         * @throws IllegalStateException if called from another thread, while offline or after
         *         unregister
         */
        public void offline() {
            check("offline()");
            if (ctr == 0L) {
                throw new IllegalStateException("offline() on a Reader of " + domain + " (thread \"" + threadName()
                        + "\") that is offline already; nothing was changed");
            }
            CTR.setVolatile(this, 0L); // release of the reads before; volatile for the wake-up Dekker
            domain.claim(this, 0L);
        }

        /**
         * Comes back online: from now on grace periods wait for this thread's quiescent states.
         * FENCED: a volatile store and a volatile load; ASYMMETRIC: a release store and an
         * acquire load, the updater runs the heavy barrier.
         *
         * @throws IllegalStateException if called from another thread, while online or after
         *         unregister
         */
        public void online() {
            check("online()");
            if (ctr != 0L) {
                throw new IllegalStateException("online() on a Reader of " + domain + " (thread \"" + threadName()
                        + "\") that is online already (a second online() would report a quiescent state the "
                        + "caller may not be in); nothing was changed");
            }
            goOnline(false);
        }

        /** The online Dekker; see "Online" in the class notes. {@code fenced}: a volatile store in ASYMMETRIC too. */
        void goOnline(boolean fenced) {
            long g = (long) GP_VALUE.getAcquire(gp);
            long again;
            if (Flavour.ASYMMETRIC && !fenced) {
                CTR.setRelease(this, g); // no fence: the updater's heavy barrier orders it
                again = (long) GP_VALUE.getAcquire(gp);
            } else {
                CTR.setVolatile(this, g); // full fence before the re-read
                again = (long) GP_VALUE.getVolatile(gp);
            }
            if (again != g) { // a grace period began meanwhile: this thread is past it
                CTR.setVolatile(this, again); // volatile for the wake-up Dekker
                domain.claim(this, again);
            }
        }

        /**
         * Whether this thread is online.
         *
         * @return true between {@code register()}/{@code online()} and {@code offline()}/{@code unregister()}
         */
        public boolean isOnline() {
            return ctr != 0L;
        }

        /**
         * Whether the calling thread is this Reader's thread and is online: the condition under
         * which what it reads is protected by this domain's grace periods. Never throws; a plain
         * read of the Reader's state, which only its thread writes.
         *
         * @return true if called on the registered thread, between {@code register()}/{@code online()}
         *         and {@code offline()}/{@code unregister()}
         */
        @SuppressWarnings("deprecation") // Thread.getId(): release 17
        public boolean isOnlineInCurrentThread() {
            // plain: ctr is written by its owner only, and only the owner passes the first test
            return Thread.currentThread().getId() == ownerId && (long) CTR.get(this) != 0L;
        }

        /**
         * Unregisters the thread: it goes offline for good and leaves the domain's registry.
         * Idempotent. A thread may register again afterwards.
         *
         * @throws IllegalStateException if called from another thread
         */
        public void unregister() {
            checkOwner("unregister()");
            if (closed) {
                return;
            }
            closed = true;
            CTR.setVolatile(this, 0L); // as offline()
            domain.claim(this, 0L);
            domain.unregister(this);
        }

        /** {@link #unregister()}, for try-with-resources. */
        @Override
        public void close() {
            unregister();
        }

        /**
         * The domain this registration belongs to.
         *
         * @return the domain
         */
        public QuiescentDomain domain() {
            return domain;
        }

        /** Whether a parked grace period has marked this reader and neither side has claimed it. For tests. */
        boolean isMarked() {
            return waitedBy != null;
        }

        boolean ownerAlive() {
            Thread t = owner.get(); // cleared: collected, long after its last action
            return t != null && t.isAlive();
        }

        private void check(String operation) {
            checkOwner(operation);
            if (closed) {
                throw new IllegalStateException(operation + " on an unregistered Reader of " + domain
                        + ": call register() again on this thread; nothing was changed");
            }
        }

        @SuppressWarnings("deprecation") // Thread.getId(): release 17
        private void checkOwner(String operation) {
            Thread t = Thread.currentThread();
            if (t.getId() != ownerId) {
                throw new IllegalStateException(operation + " on a QuiescentDomain.Reader of thread \""
                        + threadName() + "\", called from thread \"" + t.getName() + "\": a Reader is confined to "
                        + "the thread that registered; nothing was changed");
            }
        }

        private String threadName() {
            Thread t = owner.get();
            return t == null ? "id " + ownerId : t.getName();
        }

        @Override
        public String toString() {
            return "QuiescentDomain.Reader[thread " + threadName() + ", "
                    + (closed ? "unregistered" : ctr == 0L ? "offline" : "online") + ", " + domain + "]";
        }
    }

    // VarHandle mechanics
    private static final VarHandle GP_VALUE = VarHandles.field(MethodHandles.lookup(), GpCell.class, "value",
            long.class);
    private static final VarHandle CTR = VarHandles.field(MethodHandles.lookup(), ReaderFields.class, "ctr",
            long.class);
    private static final VarHandle WAITED_BY = VarHandles.field(MethodHandles.lookup(), ReaderFields.class,
            "waitedBy", Scan.class);
    private static final VarHandle PENDING = VarHandles.field(MethodHandles.lookup(), Scan.class, "pending",
            int.class);
    private static final VarHandle WAKE_UPS = VarHandles.field(MethodHandles.lookup(), "wakeUps", long.class);
}
