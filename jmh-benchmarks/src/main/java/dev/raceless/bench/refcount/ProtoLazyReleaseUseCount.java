package dev.raceless.bench.refcount;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * PROTOTYPE, benchmark-only, NOT CORRECT AS IT STANDS: prices the "single-writer slot, one fence
 * per pair" idea from BACKGROUND.md. The take is UseCount's (xadd, then read the state); the drop
 * is a plain read and a release store of the thread's own "down" cell, then a plain read of the
 * state: no lock-prefixed instruction on the drop.
 *
 * <p>Why it is not correct, and what would make it so:
 * <ol>
 * <li>Single writer: the down cell must belong to one thread. Thread id masked to the stripe count
 *     (UseCount's mapping) lets two threads share a stripe, and then release stores lose updates.
 *     Exclusive slots need a per-thread slot index (a registry of slots claimed by CAS, released
 *     when a thread dies), with a locked fallback for threads without a slot.</li>
 * <li>Store-to-load: the drop writes its cell and then reads the state; the shutdown writes the
 *     state and then reads the cells. Without a fence on the drop both can miss each other (the
 *     Dekker outcome), and then no one notices the last drop: termination never completes. Either
 *     the shutdown side issues an asymmetric fence (membarrier(2) via FFM, or a JVM handshake; the
 *     JDK 17 API offers neither), or the waiters re-scan on a timer (termination within one
 *     re-scan period instead of at the last drop, and {@code termination()} needs a scanner).</li>
 * </ol>
 * Only {@link #tryAcquire()} and {@link #release()} in the LIVE state are implemented.
 */
final class ProtoLazyReleaseUseCount {
    static final int PAD = 16;
    private static final int LIVE = 0;
    private static final long PHASE_MASK = 7;

    private final long[] cells;
    private final int mask;
    private volatile long state;

    ProtoLazyReleaseUseCount(int stripes) {
        cells = new long[PAD * (stripes + 2)];
        mask = stripes - 1;
    }

    @SuppressWarnings("deprecation")
    private int index() {
        return (((int) Thread.currentThread().getId() & mask) + 1) * PAD;
    }

    boolean tryAcquire() {
        CELLS.getAndAdd(cells, index(), 1L); // xadd: full fence before the state read
        if ((state & PHASE_MASK) == LIVE) {
            return true;
        }
        throw new UnsupportedOperationException("prototype: fast path only");
    }

    void release() {
        int i = index() + 1;
        long[] c = cells;
        CELLS.setRelease(c, i, (long) CELLS.get(c, i) + 1); // single writer assumed: see class doc
        if (((long) STATE.getOpaque(this) & PHASE_MASK) != LIVE) { // NO store-load fence: see class doc
            throw new UnsupportedOperationException("prototype: fast path only");
        }
    }

    long pending() {
        long downs = 0;
        long ups = 0;
        for (int i = PAD + 1; i < cells.length - PAD; i += PAD) {
            downs += (long) CELLS.getVolatile(cells, i);
        }
        for (int i = PAD; i < cells.length - PAD; i += PAD) {
            ups += (long) CELLS.getVolatile(cells, i);
        }
        return ups - downs;
    }

    // VarHandle mechanics
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ProtoLazyReleaseUseCount.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
