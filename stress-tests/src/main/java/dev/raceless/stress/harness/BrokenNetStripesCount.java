package dev.raceless.stress.harness;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * BROKEN ON PURPOSE: a striped use count that keeps one <em>net</em> count per stripe and sums
 * the stripes in one pass, the module refcount that Nick Piggin fixed in Linux. It exists so that
 * {@link HandOffAcrossStripesStress} can show that it catches a false zero: the build fails if the
 * harness does not catch this counter within its budget.
 *
 * <p>The bug: a use taken on stripe A and dropped on stripe D leaves A at +1 and D at -1. A count
 * that reads A before the take and D after the drop misses the +1 and sees the -1: one less than
 * the truth. With one other use held (a hand-off taken on A after the scan passed it, before the
 * original was dropped on D), the sum reads zero and the count dies under that use.
 *
 * <p>Everything else matches UseCount: every count update is an xadd (a full fence), the state
 * is CASed, a release of a GOING count sums the stripes. Only the sum is wrong. UseCount keeps
 * monotonic totals of takes and drops per stripe and sums all drops before all takes, so a drop
 * it sees always comes with its take (internal.Stripes).
 */
final class BrokenNetStripesCount implements HandOffCount {
    /*
     * Layout: one long per stripe, 16 longs (128 bytes) apart, as in internal.Stripes, so that the
     * scan costs what UseCount's costs per pass. stripe = thread id & mask, as in UseCount.
     */
    private static final int PAD = 16;
    private static final int LIVE = 0;
    private static final int GOING = 1;
    private static final int DEAD = 2;

    private final long[] cells;
    private final int mask;
    private volatile int state;

    BrokenNetStripesCount(int stripes) {
        if (Integer.bitCount(stripes) != 1) {
            throw new IllegalArgumentException("stripes must be a power of two, was " + stripes);
        }
        cells = new long[PAD * (stripes + 2)];
        mask = stripes - 1;
    }

    @Override
    public boolean tryAcquire() {
        add(1); // xadd: visible before the state is read
        if (state == LIVE) {
            return true;
        }
        release(); // back out
        return false;
    }

    @Override
    public void retain() {
        add(1);
    }

    @Override
    public void release() {
        add(-1);
        if (state == GOING) {
            finishIfZero();
        }
    }

    @Override
    public void shutdown() {
        if (STATE.compareAndSet(this, LIVE, GOING)) {
            finishIfZero();
        }
    }

    @Override
    public boolean tryShutdown() {
        if (state == GOING) {
            finishIfZero();
        }
        return state == DEAD;
    }

    @Override
    public boolean isDead() {
        return state == DEAD;
    }

    private void finishIfZero() {
        long sum = 0;
        for (int i = PAD; i < cells.length - PAD; i += PAD) { // BROKEN: net counts, one pass
            sum += (long) CELLS.getVolatile(cells, i);
        }
        if (sum == 0) {
            STATE.compareAndSet(this, GOING, DEAD);
        }
    }

    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+, and this is release 17
    private void add(long delta) {
        CELLS.getAndAdd(cells, (((int) Thread.currentThread().getId() & mask) + 1) * PAD, delta);
    }

    @Override
    public String toString() {
        return "BrokenNetStripesCount[" + (state == LIVE ? "LIVE" : state == GOING ? "GOING" : "DEAD") + "]";
    }

    // VarHandle mechanics
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(BrokenNetStripesCount.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
