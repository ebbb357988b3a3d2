package dev.raceless.lab;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * PROTOTYPE, benchmark-only: {@code UseCount}'s fast path with the stripe array, mask and state
 * word flattened into one object, to price the {@code UseCount -> Stripes -> long[]} indirection.
 * Not part of the library; only {@link #tryAcquire()} and {@link #release()} in the LIVE state are
 * implemented (the slow paths throw), which is all {@link ProtoUsePairBenchmark} exercises.
 *
 * <p>Same protocol and same layout as {@code UseCount} + {@code internal.Stripes}: xadd on the
 * caller's "up" cell, then a volatile read of the state word; xadd on the "down" cell, then a
 * volatile read of the state word. Stripe = thread id masked, 128 bytes per stripe.
 */
final class ProtoFlatUseCount {
    static final int PAD = 16;
    private static final int LIVE = 0;
    private static final long PHASE_MASK = 7;

    private final long[] cells;
    private final int mask;
    private volatile long state;

    ProtoFlatUseCount(int stripes) {
        cells = new long[PAD * (stripes + 2)];
        mask = stripes - 1;
    }

    @SuppressWarnings("deprecation")
    private int index() {
        return (((int) Thread.currentThread().getId() & mask) + 1) * PAD;
    }

    boolean tryAcquire() {
        CELLS.getAndAdd(cells, index(), 1L); // xadd: full fence before the state read (Dekker)
        if ((state & PHASE_MASK) == LIVE) {
            return true;
        }
        throw new UnsupportedOperationException("prototype: fast path only");
    }

    void release() {
        CELLS.getAndAdd(cells, index() + 1, 1L);
        if ((state & PHASE_MASK) != LIVE) {
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
}
