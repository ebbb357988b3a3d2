package dev.raceless.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Arrays;

/**
 * Monotonic "up" and "down" totals in one or two lanes, kept in slots owned by platform threads
 * (one slot per thread that used this object, written by that thread alone without a locked
 * instruction) and in shared padded {@link Stripes} (for virtual threads, and for every thread when
 * slots are off). Sums are taken in the Piggin-safe order: every down total of every kind, then
 * every up total.
 *
 * <p>Used by {@code UseCount} (one lane: acquires and releases) and {@code GraceDomain} (two lanes,
 * one per epoch index: section entries and exits). Which stores the slots use is the caller's
 * choice, fixed at construction (see {@link Mode}); the proofs live with the callers and in
 * {@code docs/read-side.md}.
 */
public final class ReaderCounts {
    /*
     * Implementation notes.
     *
     * Representation:
     *   shared0/1      a Stripes per lane: xadd on a padded cell chosen by thread id (virtual threads, or
     *                  everyone in SHARED mode)
     *   slots          a copy-on-write array of every Slot ever registered (volatile)
     *   mine           the calling platform thread's Slot (a ThreadLocal of this object)
     *   Slot           up0, down0, up1, down1: monotonic totals written only by the slot's owner,
     *                  with release stores (sv for an up in UP_VOLATILE mode); 64 bytes of padding
     *                  on each side, so fields of two slots are at least 128 bytes apart wherever the
     *                  GC puts them
     *
     * Invariants:
     *   1. A slot has one writer at a time: its owner thread, set under this object's monitor.
     *   2. Totals only grow. A slot is never removed; a slot whose owner has died is adopted by the
     *      next thread that registers, which continues its totals (so nothing is ever folded, and
     *      the registry holds at most as many slots as threads that used this object were alive
     *      at once, plus the ones that died since the last registration).
     *   3. A slot is in `slots` (a volatile write) before its first up: registration is
     *      sequentially consistent with an updater's later read of `slots`.
     *
     * Piggin-safe order across kinds: pending() reads every down total (stripes, then slots), then
     * every up total. A down made on thread B for an up made on thread A is ordered after that up
     * by the hand-off's happens-before edge; B's down is a release store (or an xadd) and is read
     * with an acquire load (or a volatile one), so a pass that sees the down sees the up in the
     * later ups pass. Slots registered between the two passes only add ups: a larger count, never
     * a false zero.
     *
     * Adoption and happens-before: an adopter sees the dead owner's last stores because it detected
     * the death with Thread.isAlive() (JLS 17.4.4: the final action of a thread synchronizes-with
     * the detection). The owner is held weakly (a dead thread's context class loader must not be
     * kept alive by a count); a cleared reference means the Thread was collected, long after its
     * last store (a GC safepoint lies between), which this code treats as death.
     *
     * Cost: a platform thread's up or down is Thread.currentThread(), a virtual-thread test, a
     * ThreadLocal lookup and one store; no allocation after the first use. Footprint: per object
     * the stripes (Stripes.cellBytes), the ThreadLocal and the slot array; per (thread, object)
     * pair one Slot (about 176 bytes), a ThreadLocalMap entry (32) and a WeakReference (32).
     */

    /** How slots are written. */
    public enum Mode {
        /** No slots: every up and down is an xadd on a shared stripe. */
        SHARED,
        /** Slots with release stores for ups and downs: no fence (the updater fences for both). */
        RELEASE,
        /** Slots with a volatile store for an up (one full fence) and a release store for a down. */
        UP_VOLATILE
    }

    private static final Slot[] NONE = new Slot[0];

    private final Stripes shared0;
    /** Null with one lane. */
    private final Stripes shared1;
    private final boolean owned;
    private final boolean upVolatile;
    /** Null in SHARED mode: a count that never has slots pays nothing for them. */
    private final ThreadLocal<Slot> mine;
    private volatile Slot[] slots = NONE;

    /**
     * @param lanes 1 or 2
     * @param stripes shared stripes per lane, a power of two
     * @param mode how platform threads count
     */
    public ReaderCounts(int lanes, int stripes, Mode mode) {
        if (lanes != 1 && lanes != 2) {
            throw new IllegalArgumentException("lanes must be 1 or 2, was " + lanes);
        }
        shared0 = new Stripes(stripes);
        shared1 = lanes == 2 ? new Stripes(stripes) : null;
        owned = mode != Mode.SHARED;
        upVolatile = mode == Mode.UP_VOLATILE;
        mine = owned ? new ThreadLocal<>() : null;
    }

    // ---------------------------------------------------------------- counting (fast paths)

    /** Adds one to the calling thread's up total of {@code lane}. */
    public void up(int lane) {
        Slot s = slot();
        if (s == null) {
            shared(lane).up(); // xadd
        } else if (lane == 0) {
            if (upVolatile) {
                s.up0 = s.up0 + 1; // volatile store: a full fence (single writer, so not a lost update)
            } else {
                UP0.setRelease(s, s.up0 + 1); // release store; the updater's heavy barrier orders it
            }
        } else if (upVolatile) {
            s.up1 = s.up1 + 1;
        } else {
            UP1.setRelease(s, s.up1 + 1);
        }
    }

    /** Adds one to the calling thread's down total of {@code lane}: a release store, or an xadd. */
    public void down(int lane) {
        Slot s = slot();
        if (s == null) {
            shared(lane).down(); // xadd
        } else if (lane == 0) {
            DOWN0.setRelease(s, s.down0 + 1); // release; pairs with the acquire read in pending()
        } else {
            DOWN1.setRelease(s, s.down1 + 1);
        }
    }

    /** The calling platform thread's slot, registering it on first use; null for shared counting. */
    private Slot slot() {
        if (!owned) {
            return null;
        }
        Thread t = Thread.currentThread();
        if (Threads.isVirtual(t)) {
            return null; // a virtual thread never gets a slot: there may be millions
        }
        Slot s = mine.get();
        return s != null ? s : register(t);
    }

    // ---------------------------------------------------------------- summing (updaters)

    /**
     * Ups minus downs of {@code lane}, all downs read first: never smaller than the number of ups
     * not matched by a down at the end of the downs pass (see the notes). Not a snapshot. The
     * caller runs whatever barrier its protocol needs before calling.
     */
    public long pending(int lane) {
        Stripes shared = shared(lane);
        long downs = shared.sumDowns();
        for (Slot s : slots) {
            downs += lane == 0 ? (long) DOWN0.getAcquire(s) : (long) DOWN1.getAcquire(s);
        }
        long ups = shared.sumUps();
        for (Slot s : slots) { // read again: slots registered since only add ups
            ups += lane == 0 ? s.up0 : s.up1; // volatile reads
        }
        return ups - downs;
    }

    /** The number of slots registered (live and adoptable). */
    public int slotCount() {
        return slots.length;
    }

    /** Bytes this object holds (an estimate: stripes and slots, not the ThreadLocalMap entries). */
    public long footprintBytes() {
        long b = shared0.cellBytes() + (shared1 == null ? 0 : shared1.cellBytes());
        return b + 16 + 4L * slots.length + SLOT_BYTES * slots.length;
    }

    /** Bytes one Slot takes, with its WeakReference and ThreadLocalMap entry. */
    public static final long SLOT_BYTES = 176 + 32 + 32;

    /** Shared stripes per lane. */
    public int stripes() {
        return shared0.stripes();
    }

    private Stripes shared(int lane) {
        return lane == 0 ? shared0 : shared1;
    }

    // ---------------------------------------------------------------- registration (slow path)

    /** Registers t's slot: adopts a dead thread's slot, or appends a new one. Out of line. */
    private Slot register(Thread t) {
        // The monitor of this object: only platform threads register, so no virtual thread is
        // ever pinned here, and a count does not carry a lock object it rarely needs.
        synchronized (this) {
            Slot[] a = slots;
            for (Slot s : a) {
                Thread owner = s.owner.get();
                if (owner == null || !owner.isAlive()) { // isAlive: happens-after the owner's last store
                    s.owner = new WeakReference<>(t);
                    mine.set(s);
                    return s;
                }
            }
            Slot s = new Slot(t);
            Slot[] b = Arrays.copyOf(a, a.length + 1);
            b[a.length] = s;
            slots = b; // volatile: published before this thread's first up (invariant 3)
            mine.set(s);
            return s;
        }
    }

    // ---------------------------------------------------------------- slots

    /** 64 bytes before the totals. */
    @SuppressWarnings("unused")
    static class SlotHead {
        long p00, p01, p02, p03, p04, p05, p06, p07;
    }

    /** The totals (written by the owner only) and the owner. */
    static class SlotTotals extends SlotHead {
        volatile long up0;
        volatile long down0;
        volatile long up1;
        volatile long down1;
        /** Guarded by the monitor of the ReaderCounts. */
        WeakReference<Thread> owner;
    }

    /** A thread's slot: 64 bytes after the totals. */
    @SuppressWarnings("unused")
    static final class Slot extends SlotTotals {
        long q00, q01, q02, q03, q04, q05, q06, q07;

        Slot(Thread owner) {
            this.owner = new WeakReference<>(owner);
        }
    }

    // VarHandle mechanics
    private static final VarHandle UP0;
    private static final VarHandle UP1;
    private static final VarHandle DOWN0;
    private static final VarHandle DOWN1;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            UP0 = l.findVarHandle(SlotTotals.class, "up0", long.class);
            UP1 = l.findVarHandle(SlotTotals.class, "up1", long.class);
            DOWN0 = l.findVarHandle(SlotTotals.class, "down0", long.class);
            DOWN1 = l.findVarHandle(SlotTotals.class, "down1", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
