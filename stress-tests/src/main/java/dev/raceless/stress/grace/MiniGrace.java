package dev.raceless.stress.grace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A deliberately flawed copy of GraceDomain's protocol, small enough to read at a glance, for the
 * {@code Broken…} litmus tests: two epoch indices with an enter and an exit total each, a grace
 * period of (a) drain the inactive index, (b) flip, (c) drain the old one, and exactly one flaw.
 * It proves that the litmus tests can fail: run on this, they must show their forbidden outcome.
 *
 * <p>Not a grace mechanism to use: one counter cell per index (no stripes), busy-waiting drains,
 * no sharing, no parking, one updater at a time.
 */
final class MiniGrace {
    /** The one thing this copy gets wrong. */
    enum Flaw {
        /**
         * The reader's enter is a release store and the drain reads with acquire loads. Release
         * then acquire does not order a store before a later load (store->load, Dekker): the
         * reader may read the pointer before its enter is visible to the drain, and the drain may
         * read the count before the enter lands. GraceDomain uses an xadd and volatile loads.
         */
        RELEASE_ACQUIRE,
        /**
         * Full fences, but a grace period skips step (a): it flips to the inactive index without
         * draining it first, so a late reader counted there is never waited for.
         */
        NO_STEP_A
    }

    private final Flaw flaw;
    private final long[] ups = new long[2];
    private final long[] downs = new long[2];
    private volatile int current;

    MiniGrace(Flaw flaw) {
        this.flaw = flaw;
    }

    /** Begins a section; returns the index it counted on (the token). */
    int enter() {
        int idx = current;
        bump(ups, idx);
        return idx;
    }

    /** Ends the section begun by the enter() that returned {@code idx}. */
    void exit(int idx) {
        bump(downs, idx);
    }

    /** Waits for the sections that began before the call (unless the flaw says otherwise). */
    void synchronize() {
        int cur = current;
        if (flaw != Flaw.NO_STEP_A) {
            while (pending(cur ^ 1) != 0) { // (a)
                Thread.onSpinWait();
            }
        }
        current = cur ^ 1; // (b)
        while (pending(cur) != 0) { // (c)
            Thread.onSpinWait();
        }
    }

    /** One grace period if it needs no waiting; like GraceDomain's, a failure leaves the flip done. */
    boolean trySynchronize() {
        int cur = current;
        if (flaw != Flaw.NO_STEP_A && pending(cur ^ 1) != 0) {
            return false;
        }
        current = cur ^ 1;
        return pending(cur) == 0;
    }

    private void bump(long[] totals, int idx) {
        if (flaw == Flaw.RELEASE_ACQUIRE) {
            // Non-atomic increment: in the tests that use this flaw one thread at a time counts.
            // A release store (a plain mov on x86): later loads may pass it.
            CELLS.setRelease(totals, idx, (long) CELLS.getOpaque(totals, idx) + 1L);
        } else {
            CELLS.getAndAdd(totals, idx, 1L); // xadd: a full fence, as in GraceDomain
        }
    }

    private long pending(int idx) {
        if (flaw == Flaw.RELEASE_ACQUIRE) {
            long d = (long) CELLS.getAcquire(downs, idx);
            return (long) CELLS.getAcquire(ups, idx) - d;
        }
        long d = (long) CELLS.getVolatile(downs, idx);
        return (long) CELLS.getVolatile(ups, idx) - d;
    }

    // VarHandle mechanics
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
}
