package dev.raceless.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;

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
     *   shared0/1      a Stripes per lane: xadd on a padded cell chosen by thread id (virtual
     *                  threads, threads without a slot, and everyone in SHARED mode)
     *   table          Slot[2 x stripes, at least 8, at most 256], indexed by thread id & mask:
     *                  entry i holds the slot of the one thread that owns it, or null
     *   Slot           up0, down0, up1, down1: monotonic totals written only by the slot's owner,
     *                  with release stores (a volatile store for an up in UP_VOLATILE mode); its
     *                  owner (weakly) and the owner's id; 64 bytes of padding on each side, so the
     *                  fields of two slots are at least 128 bytes apart wherever the GC puts them
     *
     * Invariants:
     *   1. A slot has one writer at a time: its owner thread, set under this object's monitor.
     *   2. Totals only grow. A slot is never removed; a slot whose owner has died is adopted by the
     *      next thread that maps to its entry, which continues its totals: nothing is folded,
     *      nothing is unlinked, and a table never holds more than its size in slots.
     *   3. A slot is in the table (a volatile store) before its owner's first up: installation is
     *      sequentially consistent with an updater's later volatile read of the entry.
     *   4. Any up or down may go to the shared stripes instead of a slot: the sums add both kinds.
     *      So a thread whose entry another thread owns simply counts there, and looks at the
     *      owner's liveness (under the monitor) only once per RECHECK_EVERY such calls.
     *
     * Fast path: Thread.currentThread(), its id, one array load, one compare of the slot's owner
     * id, one store. The owner-id read is racy and benign: a thread only ever finds its own id in
     * an entry after it installed it itself, and an entry's id changes only when its owner died.
     * (A ThreadLocal per object was the first design: its lookup cost 4 to 5 ns per call here,
     * more than the fence it saves.) The lookup still costs about 3 ns per pair on this project's
     * machine (AMD EPYC, JDK 25: a pair on a slot in hand 1.8 ns, through the table 4.8 to 5.9,
     * scratch JMH, 2 forks), so ownSlot() hands the slot to a caller that keeps it for its thread
     * (UseCount.Local, GraceDomain.Local): then a pair is one compare of the current thread and
     * the stores.
     *
     * Piggin-safe order across kinds: pending() reads every down total (stripes, then slots), then
     * every up total. A down made on thread B for an up made on thread A is ordered after that up
     * by the hand-off's happens-before edge; B's down is a release store (or an xadd) and is read
     * with an acquire load (or a volatile one), so a pass that sees the down sees the up in the
     * later ups pass. Slots installed between the two passes only add ups: a larger count, never
     * a false zero.
     *
     * Adoption and happens-before: an adopter sees the dead owner's last stores because it detected
     * the death with Thread.isAlive() (JLS 17.4.4: the final action of a thread synchronizes-with
     * the detection). The owner is held weakly (a dead thread's context class loader must not be
     * kept alive by a count); a cleared reference means the Thread was collected, long after its
     * last store (a GC safepoint lies between), which this code treats as death.
     *
     * Footprint: per object the stripes (Stripes.cellBytes) and the table (16 + 4 per entry with
     * compressed oops); per thread that used it, one Slot (about 176 bytes) and a WeakReference
     * (32), at most table-size of them.
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

    private final Stripes shared0;
    /** Null with one lane. */
    private final Stripes shared1;
    private final boolean owned;
    private final boolean upVolatile;
    /**
     * The slot table, indexed by thread id: entry {@code id & mask} is the slot of the one thread
     * that owns it, or null. Null in SHARED mode. Entries are written with volatile stores.
     */
    private final Slot[] table;
    private final int mask;
    /** Calls that found another thread's entry; plain and racy, it only paces the rechecks. */
    private int collisions;
    /** A thread that lost its entry rechecks the owner's liveness once per this many calls. */
    private static final int RECHECK_EVERY = 1024;

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
        int n = Math.min(MAX_SLOTS, 2 * stripes);
        table = owned ? new Slot[Math.max(MIN_SLOTS, n)] : null;
        mask = owned ? table.length - 1 : 0;
    }

    // ---------------------------------------------------------------- counting (fast paths)

    /** Adds one to the calling thread's up total of {@code lane}. */
    public void up(int lane) {
        Slot s = slot();
        if (s == null) {
            shared(lane).up(); // xadd
        } else {
            up(s, lane);
        }
    }

    /** Adds one to the calling thread's down total of {@code lane}: a release store, or an xadd. */
    public void down(int lane) {
        Slot s = slot();
        if (s == null) {
            shared(lane).down(); // xadd
        } else {
            down(s, lane);
        }
    }

    /**
     * Adds one to the up total of {@code lane} in {@code s}, a slot the calling thread owns (from
     * {@link #ownSlot()}; a slot has one writer, so only its owner may call this), with this
     * object's mode.
     */
    public void up(Slot s, int lane) {
        if (upVolatile) {
            upVolatile(s, lane);
        } else {
            upRelease(s, lane);
        }
    }

    /**
     * {@link #up(Slot, int)} in RELEASE mode, for a caller whose mode is a constant: a release
     * store, which the updater's heavy barrier orders.
     */
    public static void upRelease(Slot s, int lane) {
        if (lane == 0) {
            UP0.setRelease(s, s.up0 + 1);
        } else {
            UP1.setRelease(s, s.up1 + 1);
        }
    }

    /**
     * {@link #up(Slot, int)} in UP_VOLATILE mode, for a caller whose mode is a constant: a
     * volatile store, a full fence (single writer, so not a lost update).
     */
    public static void upVolatile(Slot s, int lane) {
        if (lane == 0) {
            s.up0 = s.up0 + 1;
        } else {
            s.up1 = s.up1 + 1;
        }
    }

    /** Adds one to the down total of {@code lane} in {@code s}, a slot the calling thread owns: a release store. */
    public static void down(Slot s, int lane) {
        if (lane == 0) {
            DOWN0.setRelease(s, s.down0 + 1); // release; pairs with the acquire read in pending()
        } else {
            DOWN1.setRelease(s, s.down1 + 1);
        }
    }

    /**
     * The calling platform thread's slot, registered now if it has none, for a caller that keeps it
     * and counts on it with {@link #up(Slot, int)} and {@link #down(Slot, int)} from this thread
     * only; null where the thread counts on the shared stripes (SHARED mode, a virtual thread, or
     * a table entry another live thread owns). The slot stays this thread's while the thread
     * lives: a slot is adopted only once its owner has died (invariant 2).
     */
    @SuppressWarnings("deprecation") // Thread.getId(): see slot()
    public Slot ownSlot() {
        if (!owned) {
            return null;
        }
        Thread t = Thread.currentThread();
        if (Threads.isVirtual(t)) {
            return null;
        }
        long id = t.getId();
        Slot s = table[(int) id & mask];
        return s != null && s.ownerId == id ? s : register(t, id);
    }

    /**
     * The calling platform thread's slot, registering it on first use; null for shared counting
     * (SHARED mode, a virtual thread, or a thread whose table entry another live thread owns).
     */
    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+, and this is release 17
    private Slot slot() {
        if (!owned) {
            return null;
        }
        Thread t = Thread.currentThread();
        long id = t.getId();
        Slot s = table[(int) id & mask]; // a racy read is fine: only t ever installs t's id
        if (s != null) {
            if (s.ownerId == id) {
                return s;
            }
            // Another thread's entry: count on the stripes, and only now and then look whether its
            // owner died (to adopt the slot), so colliding threads never queue on the monitor.
            if ((++collisions & (RECHECK_EVERY - 1)) != 0) { // benign race: only a rate
                return null;
            }
        }
        return Threads.isVirtual(t) ? null : register(t, id); // a virtual thread never gets a slot
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
        Slot[] tb = table;
        if (tb == null) {
            return shared.sumUps() - downs;
        }
        for (int i = 0; i < tb.length; i++) {
            Slot s = (Slot) TABLE.getVolatile(tb, i);
            if (s != null) {
                downs += lane == 0 ? (long) DOWN0.getAcquire(s) : (long) DOWN1.getAcquire(s);
            }
        }
        long ups = shared.sumUps();
        for (int i = 0; i < tb.length; i++) { // read again: slots installed since only add ups
            Slot s = (Slot) TABLE.getVolatile(tb, i);
            if (s != null) {
                ups += lane == 0 ? s.up0 : s.up1; // volatile reads
            }
        }
        return ups - downs;
    }

    /** The number of slots made (each owned by a live thread, or adoptable). */
    public int slotCount() {
        int n = 0;
        if (table != null) {
            for (int i = 0; i < table.length; i++) {
                if (TABLE.getVolatile(table, i) != null) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The size of the slot table (0 in SHARED mode): at most this many threads count in slots at once. */
    public int tableSize() {
        return table == null ? 0 : table.length;
    }

    /** Bytes this object holds (an estimate: stripes, table and slots). */
    public long footprintBytes() {
        long b = shared0.cellBytes() + (shared1 == null ? 0 : shared1.cellBytes());
        return b + (table == null ? 0 : 16 + 4L * table.length + SLOT_BYTES * slotCount());
    }

    /** Bytes one Slot takes, with its WeakReference. */
    public static final long SLOT_BYTES = 176 + 32;
    /** Bounds of the slot table size. */
    private static final int MIN_SLOTS = 8, MAX_SLOTS = 256;

    /** Shared stripes per lane. */
    public int stripes() {
        return shared0.stripes();
    }

    private Stripes shared(int lane) {
        return lane == 0 ? shared0 : shared1;
    }

    // ---------------------------------------------------------------- registration (slow path)

    /**
     * Gives t the slot of its table entry: a new one if the entry is empty, the same one if its
     * owner has died (adoption: the totals go on), none if another live thread owns it (then t
     * counts on the shared stripes, which is always correct). Out of line; runs once per thread
     * and object, and on every call of a thread that lost its entry to a live one.
     */
    private Slot register(Thread t, long id) {
        int i = (int) id & mask;
        // The monitor of this object: only platform threads register, so no virtual thread is
        // ever pinned here, and an object does not carry a lock it rarely needs.
        synchronized (this) {
            Slot s = (Slot) TABLE.getVolatile(table, i);
            if (s == null) {
                s = new Slot(t, id);
                TABLE.setVolatile(table, i, s); // published before t's first up (invariant 3)
                return s;
            }
            Thread owner = s.owner.get();
            if (owner == t) {
                return s;
            }
            if (owner == null || !owner.isAlive()) { // isAlive: happens-after the owner's last store
                s.owner = new WeakReference<>(t);
                s.ownerId = id; // plain: only t reads its own id here, and t wrote it
                return s;
            }
            return null; // a live thread owns the entry: count on the shared stripes
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
        /** The owner's thread id; read without the monitor by the fast path (see slot()). */
        long ownerId;
    }

    /**
     * A thread's slot: 64 bytes after the totals. Opaque outside this class: callers that keep
     * their thread's slot ({@link #ownSlot()}) only hand it back to {@link #up(Slot, int)} and
     * {@link #down(Slot, int)}.
     */
    @SuppressWarnings("unused")
    public static final class Slot extends SlotTotals {
        long q00, q01, q02, q03, q04, q05, q06, q07;

        Slot(Thread owner, long ownerId) {
            this.owner = new WeakReference<>(owner);
            this.ownerId = ownerId;
        }
    }

    // VarHandle mechanics
    private static final VarHandle TABLE = MethodHandles.arrayElementVarHandle(Slot[].class);
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
