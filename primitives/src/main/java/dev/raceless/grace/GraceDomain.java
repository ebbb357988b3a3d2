package dev.raceless.grace;

import dev.raceless.internal.Stripes;
import dev.raceless.refcount.UseCount;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

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
 * allocate nothing and cost one atomic add each on the caller's own stripe (no shared cache line).
 *
 * <p><b>Updaters.</b> {@code synchronize()} does not wait for sections that begin after its grace
 * period has started (a flip of the epoch index, taken as soon as the sections counted on the
 * other index are done), so a stream of new readers cannot starve it. Sections that begin between
 * the call and that flip (while an earlier grace period finishes, or while the flip waits for
 * sections from before the previous one) may be waited for. Concurrent callers share grace periods: N callers
 * at once cost one or two grace periods, not N. Waiting spins briefly, then parks; the last exit of
 * an awaited section unparks the waiter. {@link #trySynchronize()} never waits and
 * {@link #synchronize(long, TimeUnit)} gives up at a deadline.
 *
 * <p><b>Deferred actions.</b> {@link #callAfterGrace(Runnable)} queues an action to run after a
 * grace period, on a daemon thread owned by the domain, in the order queued; it never blocks the
 * caller. An action that throws is reported to the error handler and does not stop the others.
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
     * Design goal: srcu's read side (one atomic add in, one out, on a per-thread stripe; readers may
     * sleep) with an updater that shares grace periods and parks instead of polling.
     *
     * Representation:
     *   counts[0], counts[1]  one internal.Stripes per epoch index: ups = enters, downs = exits
     *   current               the index new sections count on (volatile int, 0 or 1)
     *   gpSeq                 grace-period sequence: even = idle, odd = one in progress; a
     *                         completed grace period adds 2 (Linux's rcu_seq)
     *   gpLock                one grace period at a time; waiters queue here and share
     *   waiter, drainingIdx   the one updater parked in drain(), and the index it waits on
     *   token                 tag ^ idx, where tag is a random even int of this domain: a token
     *                         from no enter() of this domain is caught by one xor and one test
     *
     * Invariants:
     *   1. A section's up and down are on the same index (the token carries it).
     *   2. ups(i) - downs(i), downs summed first, is never less than the sections open on i.
     *   3. Only the gpLock holder flips current or waits in drain().
     *
     * A grace period (runGracePeriod), with cur = current:
     *   a. drain(cur ^ 1): sections that read the old index before the previous flip but counted
     *      late. Without this step a reader that read index i, stalled, and counted on i after the
     *      previous grace period finished would be missed by the next one, which flips to i and
     *      drains only the other index (the late-reader race; jcstress LateReaderOldEpoch).
     *   b. current = cur ^ 1: new sections count on the other index, so this grace period never
     *      waits for them (no starvation). Sections that began after the call but before this
     *      flip count on cur and are waited for in (c): the guarantee is "not after the flip",
     *      which is what bounds the wait.
     *   c. drain(cur): every section that began before the call and counted on cur.
     *
     * Proof sketch of the rule (UnpublishThenFree): the updater unpublishes (a volatile write), then
     * in (a)-(c) performs volatile writes and reads; the reader does read(current), xadd(up),
     * then reads the pointer. Let S be a section that began before synchronize() was called; it
     * counted on some index before the call, i.e. before the flip, so it is seen in (a) or (c) as
     * up - down >= 1 until it has ended, and the drain waits. Its exit is an xadd, read by the
     * drain's volatile sum, so its actions happen-before the return. A section whose up is after
     * the drain's read of its cell in the synchronization order reads the pointer after that read,
     * which is after the unpublish: it sees the new pointer, never the old object. With plain or
     * release/acquire accesses the reader's up and the updater's scan could miss each other
     * (store->load); xadd and volatile reads are sequentially consistent.
     *
     * Sharing (rcu_seq_snap): a caller reads gpSeq = s on arrival; a grace period that starts after
     * the arrival ends at (s + 3) & ~1 or later (if s is odd the one running may have started before
     * it). Under gpLock the caller returns at once if gpSeq has reached that target. Checked by
     * SynchronizersShareStress.
     *
     * Waiting: drain() rescans with onSpinWait for a short while, then publishes waiter and
     * drainingIdx, rescans, and parks. exit() does xadd(down) and then reads drainingIdx: the store
     * ->load pair against the waiter's publish-then-rescan means either the rescan sees the exit or
     * the exit sees the waiter and unparks it: no lost wake-up (jcstress SynchronizeWakesOnExit).
     *
     * Deferred actions: a ConcurrentLinkedQueue; a worker thread started on first use takes every
     * action queued so far, runs one synchronize(), then runs them in order. callAfterGrace holds
     * a use of a UseCount (the gate) while it enqueues, so close() can refuse new actions and
     * then know that no enqueue is still in flight (gate.shutdown(), then wait for termination).
     *
     * Rejected: a per-thread registry scanned by the updater (HotSpot GlobalCounter, liburcu's
     * memb) needs thread registration and a thread-exit hook; virtual threads make it unbounded.
     * Polling with sleeps instead of parking: a grace period would cost the sleep quantum.
     */

    /** System property that turns on section tracking and the self-deadlock check. */
    public static final String DEBUG_PROPERTY = "dev.raceless.grace.debug";
    private static final boolean DEBUG = Boolean.getBoolean(DEBUG_PROPERTY);
    /** Rescans before a drain parks: a few microseconds, enough for short readers. */
    private static final int SPINS = 256;
    private static final AtomicInteger DOMAINS = new AtomicInteger();

    private final Stripes[] counts;
    private final int tag;
    /** The index new sections count on; flipped by the grace-period holder only. */
    private volatile int current;
    /** Even: idle. Odd: a grace period is in progress. +2 per completed grace period. */
    private volatile long gpSeq;
    /** Fair: callers are served in arrival order, so one waits for at most two grace periods. */
    private final ReentrantLock gpLock = new ReentrantLock(true);
    /** The updater parked in drain(), or null. Written before drainingIdx. */
    private volatile Thread waiter;
    /** The index a parked updater waits on, or -1; read by every exit(). */
    private volatile int drainingIdx = -1;

    // deferred actions
    private final String name;
    private final BiConsumer<? super Runnable, ? super Throwable> errorHandler;
    private final ConcurrentLinkedQueue<Runnable> actions = new ConcurrentLinkedQueue<>();
    private final UseCount gate = new UseCount(2);
    private final CompletableFuture<Void> workerDone = new CompletableFuture<>();
    private volatile Thread worker;
    private volatile boolean workerParked;
    private volatile boolean closing;

    // debug tracking (only when DEBUG): open section serial -> the thread that entered it
    private final Map<Integer, OpenSection> openSections = DEBUG ? new ConcurrentHashMap<>() : null;
    private final AtomicInteger sectionSerial = DEBUG ? new AtomicInteger() : null;

    /** Creates a domain whose deferred actions report failures through a {@link System.Logger}. */
    public GraceDomain() {
        this("grace-" + DOMAINS.incrementAndGet(), GraceDomain::logActionFailure);
    }

    /**
     * Creates a domain.
     *
     * @param name names the domain's action thread ({@code raceless-<name>-actions})
     * @param errorHandler receives each deferred action that threw, with what it threw; runs on
     *        the action thread and should not block
     */
    public GraceDomain(String name, BiConsumer<? super Runnable, ? super Throwable> errorHandler) {
        this.name = Objects.requireNonNull(name, "name");
        this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
        int stripes = Stripes.defaultStripes();
        this.counts = new Stripes[] {new Stripes(stripes), new Stripes(stripes)};
        this.tag = ThreadLocalRandom.current().nextInt() & ~1;
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
        counts[idx].up(); // xadd, a full fence: counted before the section reads anything (Dekker)
        int token = tag ^ idx;
        return DEBUG ? debugEnter(token) : token;
    }

    /**
     * Ends the section begun by the {@link #enter()} that returned {@code token}; may be called on
     * another thread. Wait-free; allocates nothing.
     *
     * @throws IllegalArgumentException if no {@code enter()} of this domain returned
     *         {@code token} (with the debug property: also if that section has already ended)
     */
    public void exit(int token) {
        int idx = (DEBUG ? debugExit(token) : token) ^ tag;
        if ((idx & ~1) != 0) {
            throw badToken(token);
        }
        counts[idx].down(); // xadd, a full fence: the exit is counted before drainingIdx is read
        if (drainingIdx == idx) { // pairs with drain()'s publish-then-rescan: no lost wake-up
            LockSupport.unpark(waiter); // unpark(null) is a no-op: a benign race with the reset
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
    private void awaitGracePeriod() {
        long target = snapshot();
        boolean interrupted = false;
        int r = DONE;
        gpLock.lock();
        try {
            if (gpSeq - target < 0) {
                r = runGracePeriod(FOREVER, 0L);
                interrupted = interruptedWhileWaiting;
                interruptedWhileWaiting = false;
            }
        } finally {
            gpLock.unlock();
        }
        if (interrupted) {
            Thread.currentThread().interrupt(); // keep the status we swallowed while parked
        }
        if (r == MISUSE) {
            throw moreExitsThanEnters();
        }
    }

    /**
     * Waits at most {@code timeout} until every section that began before this call has ended.
     *
     * @return {@code true} if they have; {@code false} if the time ran out first (a grace period
     *         may be left half done: that costs the next one nothing)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalStateException as {@link #synchronize()}
     */
    public boolean synchronize(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout + " " + unit);
        }
        checkNotInSection("synchronize(timeout, unit)");
        long target = snapshot();
        long nanos = unit.toNanos(timeout);
        long deadline = System.nanoTime() + nanos;
        if (!gpLock.tryLock(nanos, TimeUnit.NANOSECONDS)) {
            return false;
        }
        try {
            if (gpSeq - target >= 0) {
                return true;
            }
            int r = runGracePeriod(UNTIL_DEADLINE, deadline);
            if (r == INTERRUPTED) {
                throw new InterruptedException("interrupted while waiting for a grace period");
            }
            if (r == MISUSE) {
                throw moreExitsThanEnters();
            }
            return r == DONE;
        } finally {
            gpLock.unlock();
        }
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
        if (!gpLock.tryLock()) {
            return false;
        }
        try {
            int r = runGracePeriod(NO_WAIT, 0L);
            if (r == MISUSE) {
                throw moreExitsThanEnters();
            }
            return r == DONE;
        } finally {
            gpLock.unlock();
        }
    }

    // ---------------------------------------------------------------- deferred actions

    /**
     * Queues {@code action} to run after a grace period, on this domain's action thread, after the
     * actions queued before it. Never blocks. Allocates a queue node.
     *
     * @throws IllegalStateException if the domain is closed
     */
    public void callAfterGrace(Runnable action) {
        Objects.requireNonNull(action, "action");
        if (!gate.tryAcquire()) {
            throw new IllegalStateException("callAfterGrace() on a closed GraceDomain (" + name + "): "
                    + "close() refuses new actions");
        }
        try {
            actions.offer(action); // a CAS: sequentially consistent with the worker's park protocol
            Thread w = worker;
            if (w == null) {
                startWorker();
            } else if (workerParked) {
                LockSupport.unpark(w);
            }
        } finally {
            gate.release();
        }
    }

    /**
     * Waits until every action queued by {@link #callAfterGrace} before this call has run
     * ({@code rcu_barrier}). After {@link #close()} has returned, returns at once.
     *
     * @throws IllegalStateException if called from a deferred action (it would wait for itself)
     *         or, with the debug property set, from inside a section of this domain
     */
    public void barrier() {
        if (Thread.currentThread() == worker) {
            throw new IllegalStateException("barrier() from a deferred action of the same GraceDomain ("
                    + name + ") would wait for itself");
        }
        checkNotInSection("barrier()");
        if (!gate.tryAcquire()) { // closing: close() runs everything queued; wait for that
            workerDone.join();
            return;
        }
        CompletableFuture<Void> marker = new CompletableFuture<>();
        try {
            actions.offer(() -> marker.complete(null));
            if (worker == null) {
                startWorker();
            } else if (workerParked) {
                LockSupport.unpark(worker);
            }
        } finally {
            gate.release();
        }
        marker.join(); // parks; the queue is FIFO, so all earlier actions have run
    }

    /**
     * Refuses new actions, runs the queued ones (each after a grace period) and stops the action
     * thread. Idempotent. Readers and {@code synchronize()} keep working after close. Called from
     * a deferred action it does not wait (the actions left run after the calling one returns).
     *
     * @throws IllegalStateException with the debug property set, if the calling thread is inside
     *         a section of this domain (the final grace period would wait for it)
     */
    @Override
    public void close() {
        checkNotInSection("close()");
        closing = true; // before the gate: the worker's exit test reads it after draining
        gate.shutdown();
        gate.termination().join(); // no callAfterGrace is still enqueueing
        Thread w = worker;
        if (w == null) { // never started, and with the gate dead it never will: no actions
            workerDone.complete(null);
            return;
        }
        LockSupport.unpark(w);
        if (w != Thread.currentThread()) {
            workerDone.join();
        }
    }

    // ---------------------------------------------------------------- grace periods

    /** Wait modes of a grace period. */
    private static final int FOREVER = 0, UNTIL_DEADLINE = 1, NO_WAIT = 2;
    /** Outcomes of a wait. */
    private static final int DONE = 0, TIMED_OUT = 1, INTERRUPTED = 2, MISUSE = 3;

    /** An interrupt swallowed by a FOREVER wait, for synchronize() to restore; guarded by gpLock. */
    private boolean interruptedWhileWaiting;

    /** The gpSeq value at which a grace period that starts after now has completed. */
    private long snapshot() {
        return (gpSeq + 3) & ~1L;
    }

    /**
     * Runs steps (a) to (c) of the notes. The caller holds gpLock.
     *
     * @return DONE, or why not (TIMED_OUT, INTERRUPTED, MISUSE); never INTERRUPTED for FOREVER
     */
    private int runGracePeriod(int mode, long deadline) {
        long s = gpSeq;
        gpSeq = s + 1; // odd: a grace period is in progress; callers arriving now need the next one
        int cur = current;
        int r = drain(cur ^ 1, mode, deadline); // (a) late readers of the old index
        if (r == DONE) {
            current = cur ^ 1; // (b) flip: new sections go to the drained index
            r = drain(cur, mode, deadline); // (c) sections that began before the call
        }
        gpSeq = r == DONE ? s + 2 : s; // a failed attempt is no grace period: waiters keep waiting
        return r;
    }

    /**
     * Waits until no section counted on {@code idx} is open. Spins, then parks until an exit on
     * {@code idx} unparks it. The caller holds gpLock (one waiter at a time).
     */
    private int drain(int idx, int mode, long deadline) {
        Stripes c = counts[idx];
        int r = check(c);
        if (r != TIMED_OUT || mode == NO_WAIT) {
            return r;
        }
        for (int i = 0; i < SPINS; i++) {
            Thread.onSpinWait();
            if ((r = check(c)) != TIMED_OUT) {
                return r;
            }
        }
        waiter = Thread.currentThread();
        drainingIdx = idx; // publish, then rescan: pairs with exit()'s xadd-then-read
        try {
            while ((r = check(c)) == TIMED_OUT) {
                if (mode == UNTIL_DEADLINE) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0L) {
                        return TIMED_OUT;
                    }
                    LockSupport.parkNanos(this, left);
                } else {
                    LockSupport.park(this);
                }
                if (Thread.interrupted()) {
                    if (mode == UNTIL_DEADLINE) {
                        return INTERRUPTED;
                    }
                    interruptedWhileWaiting = true; // FOREVER: remember, keep waiting
                }
            }
            return r;
        } finally {
            drainingIdx = -1;
            waiter = null;
        }
    }

    /**
     * DONE if no section counted on these stripes is open, TIMED_OUT (not yet) if some is, MISUSE
     * if more exits than enters were counted: impossible with correct use (exits are summed first,
     * so every exit counted has its enter counted), so some token was passed to exit() twice.
     */
    private static int check(Stripes c) {
        long pending = c.pending();
        return pending == 0 ? DONE : pending > 0 ? TIMED_OUT : MISUSE;
    }

    private IllegalStateException moreExitsThanEnters() {
        return new IllegalStateException("GraceDomain (" + name + ") counted more exits than enters: "
                + "exit() was called twice for one section (run with -D" + DEBUG_PROPERTY
                + "=true to catch the second exit where it happens); no grace period can complete");
    }

    // ---------------------------------------------------------------- the action thread

    private void startWorker() {
        Thread t = new Thread(this::runActions, "raceless-" + name + "-actions");
        t.setDaemon(true);
        // Not the caller's context class loader: that may be a plugin's, which this long-lived
        // thread would then keep from being collected.
        t.setContextClassLoader(GraceDomain.class.getClassLoader());
        if (WORKER.compareAndSet(this, null, t)) {
            try {
                t.start();
            } catch (Throwable e) { // e.g. no native thread: let a later call try again
                worker = null;
                throw e;
            }
        }
    }

    private void runActions() {
        ArrayList<Runnable> batch = new ArrayList<>();
        try {
            for (;;) {
                Runnable a;
                while ((a = actions.poll()) != null) {
                    batch.add(a);
                }
                if (batch.isEmpty()) {
                    if (closing && gate.state() == UseCount.State.DEAD && actions.isEmpty()) {
                        return;
                    }
                    workerParked = true; // publish, then recheck: pairs with callAfterGrace's offer-then-read
                    if (actions.isEmpty() && !(closing && gate.state() == UseCount.State.DEAD)) {
                        LockSupport.park(this);
                    }
                    workerParked = false;
                    continue;
                }
                try {
                    awaitGracePeriod(); // every action in the batch was queued before this call
                } catch (IllegalStateException misuse) { // a double exit(): keep the batch, retry
                    reportFailure(batch.get(0), misuse);
                    LockSupport.parkNanos(this, 10_000_000L);
                    continue;
                }
                for (Runnable r : batch) {
                    try {
                        r.run();
                    } catch (Throwable e) {
                        reportFailure(r, e);
                    }
                }
                batch.clear();
                // An action (or synchronize(), restoring one) may leave the interrupt status set;
                // park() would then return at once, forever. The action thread owns no interrupt.
                Thread.interrupted();
            }
        } finally {
            workerDone.complete(null);
        }
    }

    private void reportFailure(Runnable action, Throwable failure) {
        try {
            errorHandler.accept(action, failure);
        } catch (Throwable handlerFailure) {
            failure.addSuppressed(handlerFailure);
            try {
                logActionFailure(action, failure);
            } catch (Throwable ignored) { // nowhere left to report; the queue must go on
            }
        }
    }

    private static void logActionFailure(Runnable action, Throwable failure) {
        System.getLogger("dev.raceless.grace").log(System.Logger.Level.WARNING,
                "a deferred action (" + action + ") threw; the other actions go on", failure);
    }

    // ---------------------------------------------------------------- misuse and debug tracking

    private IllegalArgumentException badToken(int token) {
        return new IllegalArgumentException("exit(" + token + "): no enter() of this GraceDomain (" + name
                + ") returned this token" + (DEBUG ? ", or its section has already ended" : ""));
    }

    /** Debug tracking of one open section: who entered it, on which index. */
    private static final class OpenSection {
        final Thread thread;
        final int idx;

        OpenSection(Thread thread, int idx) {
            this.thread = thread;
            this.idx = idx;
        }
    }

    private int debugEnter(int token) {
        int idx = token ^ tag;
        int serial = sectionSerial.incrementAndGet() & 0x3FFF_FFFF;
        openSections.put(serial, new OpenSection(Thread.currentThread(), idx));
        return (serial << 1 | idx) ^ tag;
    }

    /** @return the plain token for the section, after checking it is open (and its index) and closing it */
    private int debugExit(int token) {
        int raw = token ^ tag;
        OpenSection open = openSections.get(raw >>> 1);
        if (open == null || open.idx != (raw & 1) || !openSections.remove(raw >>> 1, open)) {
            throw badToken(token);
        }
        return open.idx ^ tag;
    }

    private boolean inSection(Thread t) {
        for (OpenSection s : openSections.values()) {
            if (s.thread == t) {
                return true;
            }
        }
        return false;
    }

    private void checkNotInSection(String operation) {
        if (DEBUG && inSection(Thread.currentThread())) {
            throw new IllegalStateException(operation + " called inside a section of the same GraceDomain ("
                    + name + ") on the same thread: it would wait for itself; exit the section first");
        }
    }

    @Override
    public String toString() {
        return "GraceDomain[" + name + ", grace periods completed: " + (gpSeq >>> 1)
                + (closing ? ", closed" : "") + "]";
    }

    // VarHandle mechanics
    private static final VarHandle WORKER;

    static {
        try {
            WORKER = MethodHandles.lookup().findVarHandle(GraceDomain.class, "worker", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
