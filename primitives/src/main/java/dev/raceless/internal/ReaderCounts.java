package dev.raceless.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Arrays;

/**
 * Monotonic "up" and "down" totals in one or two lanes, kept in slots owned by platform threads
 * (one slot per live platform thread that used this object, written by that thread alone without a
 * locked instruction) and in shared padded {@link Stripes} (for virtual threads, and for every
 * thread when slots are off). Sums are taken in the Piggin-safe order: every down total of every
 * kind, then every up total.
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
     * Design goal: every platform thread that counts here counts in a slot of its own, whatever
     * its id, with memory bounded by the number of such threads alive at once; the fast path stays
     * one probe of an array by thread id.
     *
     * Representation:
     *   shared0/1  a Stripes per lane: xadd on a padded cell chosen by thread id (virtual threads,
     *              threads past MAX_SLOTS, and everyone in SHARED mode)
     *   slots      Slot[]: every slot made, in the order made; grows by doubling (a new array,
     *              published with a volatile store), never shrinks, never loses a slot. Updaters
     *              scan it.
     *   index      Slot[], a power of two at least twice the number of slots: an open-addressed
     *              table from thread id to the slot that thread owns, linear probing from entry
     *              id & (length - 1). Entries only go from null to a slot; the table is replaced
     *              (rebuilt, twice as large) when half full. Owners look their slot up here.
     *              Until the first registration both arrays are shared empty constants, never
     *              written (an object no platform thread counted in holds no array of its own).
     *   Slot       up0, down0, up1, down1: monotonic totals written only by the slot's owner,
     *              with release stores (a volatile store for an up in UP_VOLATILE mode); its
     *              owner (weakly) and the owner's id; 64 bytes of padding on each side, so the
     *              fields of two slots are at least 128 bytes apart wherever the GC puts them
     *
     * Invariants:
     *   1. A slot has one writer at a time: its owner thread, set under this object's monitor.
     *   2. Totals only grow. A slot is never removed: a slot whose owner has died is adopted by the
     *      next thread that registers, which continues its totals (the dead thread's counts are
     *      folded into the adopter's by reuse, nothing moves while an updater scans). So the
     *      number of slots never exceeds the number of platform threads that counted here and
     *      were alive at once (capped at MAX_SLOTS).
     *   3. A slot is in slots (a volatile store of the element, then of the array when it grew)
     *      before its owner's first up: installation is sequentially consistent with an updater's
     *      later volatile read of the array.
     *   4. Any up or down may go to the shared stripes instead of a slot: the sums add both kinds.
     *   5. Thread ids are never reused (Thread.getId()), so an index entry keyed by a dead thread's
     *      id is never found by another thread; an adopted slot is entered again under its new
     *      owner's id, and a stale entry only costs a probe step until the next rebuild drops it.
     *
     * Fast path: Thread.currentThread(), its id, the index (a volatile read, a plain load on x86),
     * one racy array load, one compare of the slot's owner id, one store. The races are benign: a thread
     * finds its own id in a slot only after it wrote that id itself, under the monitor, and a
     * stale or partly seen index only makes it miss, and a miss goes to the probe and then to the
     * monitor, which sees the latest index. A thread whose home entry holds another thread's slot
     * probes the next entries (out of line); no collision ever sends it to the shared stripes.
     * Thread ids are given out in sequence, so threads started together land in distinct entries.
     * (Rejected: a ThreadLocal per object, whose lookup costs more than the fence it saves.)
     * ownSlot() hands the slot to a caller that keeps it for its thread
     * (UseCount.Local, GraceDomain.Local): then a pair is one compare of the current thread and
     * the stores.
     *
     * Piggin-safe order across kinds: pending() reads every down total (stripes, then slots), then
     * every up total. A down made on thread B for an up made on thread A is ordered after that up
     * by the hand-off's happens-before edge; B's down is a release store (or an xadd) and is read
     * with an acquire load (or a volatile one), so a pass that sees the down sees the up in the
     * later ups pass. Slots installed between the two passes only add ups: a larger count, never
     * a false zero. Each pass reads the slots array afresh: the later array holds every slot of
     * the earlier one.
     *
     * Adoption and happens-before: an adopter sees the dead owner's last stores because it detected
     * the death with Thread.isAlive() (JLS 17.4.4: the final action of a thread synchronizes-with
     * the detection). The owner is held weakly (a dead thread's context class loader must not be
     * kept alive by a count). A cleared reference means the Thread object was collected; this code
     * then adopts without an isAlive() edge, relying on the collector: a thread's object is
     * unreachable only after the thread has terminated, and the reference is cleared by a
     * collection, at a safepoint that the terminated thread's last stores precede and that the
     * adopter's read of the cleared reference follows (HotSpot: every collector clears references
     * at or after a safepoint, and a safepoint is a full handshake with every Java thread). That is
     * an implementation property of the JVM, not a Java memory model edge.
     *
     * Footprint: per object the stripes (Stripes.cellBytes), the slots array and the index
     * (16 + 4 bytes per entry each, compressed oops; index length < 8 x slots, at least 8); per
     * platform thread alive and counting here, one Slot (about 176 bytes) and a WeakReference (32):
     * SLOT_BYTES. Per thread in total: SLOT_BYTES for each object it counted in while alive, reused
     * by another thread after it died. Virtual threads add nothing.
     *
     * Updaters scan every slot: pending() costs two passes over slots.length entries; that length
     * is the most platform threads that counted here at once.
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
     * Every slot made, null-padded past the last one; read with volatile loads, written under the
     * monitor. Null in SHARED mode.
     */
    private volatile Slot[] slots;
    /** Slots made, under the monitor. */
    private int made;
    /**
     * Thread id to slot, open addressing (see the notes). Written under the monitor; the fast path
     * reads the field (volatile: the array is seen whole) and its entries racily (benign: a miss
     * goes to the monitor). Null in SHARED mode.
     */
    private volatile Slot[] index;
    /** Index entries in use, under the monitor. */
    private int indexed;
    /** Set once MAX_SLOTS slots exist and none was adoptable; a plain hint, cleared on adoption. */
    private boolean full;
    /** Calls that found the object full; plain and racy, it only paces the rechecks. */
    private int fullMisses;
    /** A thread without a slot at MAX_SLOTS looks for a dead owner's slot once per this many calls. */
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
        slots = owned ? NO_SLOTS : null; // shared until the first registration: an unused object stays small
        index = owned ? NO_INDEX : null;
    }

    // ---------------------------------------------------------------- counting (fast paths)

    /** Adds one to the calling thread's up total of {@code lane}. */
    public void up(int lane) {
        count(lane, true);
    }

    /** Adds one to the calling thread's down total of {@code lane}: a release store, or an xadd. */
    public void down(int lane) {
        count(lane, false);
    }

    /** One up or down on the caller's slot, or (no slot) an xadd on a shared stripe; {@code up} is a constant. */
    private void count(int lane, boolean up) {
        Slot s = slot();
        if (s != null) {
            if (up) {
                up(s, lane);
            } else {
                down(s, lane);
            }
        } else if (up) {
            shared(lane).up(); // xadd
        } else {
            shared(lane).down(); // xadd
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
     * {@value #MAX_SLOTS} slots owned by live threads). The slot stays this thread's while the
     * thread lives: a slot is adopted only once its owner has died (invariant 2).
     */
    public Slot ownSlot() {
        return slot();
    }

    /**
     * The calling platform thread's slot, registering it on first use; null for shared counting
     * (SHARED mode, a virtual thread, or every slot owned by a live thread at MAX_SLOTS).
     */
    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+, and this is release 17
    private Slot slot() {
        if (!owned) {
            return null;
        }
        Thread t = Thread.currentThread();
        long id = t.getId();
        Slot[] ix = index; // entries read racily, benign: see the notes
        Slot s = ix[(int) id & (ix.length - 1)];
        return s != null && s.ownerId == id ? s : probe(t, id, ix);
    }

    /**
     * Out of line: the thread's home entry holds another slot or none. Probes the index from
     * there; registers the thread (under the monitor) if its slot is not found.
     */
    private Slot probe(Thread t, long id, Slot[] ix) {
        if (Threads.isVirtual(t)) {
            return null; // a virtual thread never gets a slot
        }
        int m = ix.length - 1;
        for (int i = ((int) id + 1) & m, n = 1; n < ix.length; i = (i + 1) & m, n++) {
            Slot s = ix[i];
            if (s == null) {
                break;
            }
            if (s.ownerId == id) {
                return s;
            }
        }
        if (full && (++fullMisses & (RECHECK_EVERY - 1)) != 0) { // benign races: only a rate
            return null;
        }
        return register(t, id);
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
        if (!owned) {
            return shared.sumUps() - downs;
        }
        Slot[] tb = slots;
        for (int i = 0; i < tb.length; i++) {
            Slot s = (Slot) SLOTS.getVolatile(tb, i);
            if (s != null) {
                downs += lane == 0 ? (long) DOWN0.getAcquire(s) : (long) DOWN1.getAcquire(s);
            }
        }
        long ups = shared.sumUps();
        tb = slots; // read again: slots installed since only add ups
        for (int i = 0; i < tb.length; i++) {
            Slot s = (Slot) SLOTS.getVolatile(tb, i);
            if (s != null) {
                ups += lane == 0 ? s.up0 : s.up1; // volatile reads
            }
        }
        return ups - downs;
    }

    /** The number of slots made (each owned by a live thread, or adoptable). */
    public int slotCount() {
        int n = 0;
        if (owned) {
            Slot[] tb = slots;
            for (int i = 0; i < tb.length; i++) {
                if (SLOTS.getVolatile(tb, i) != null) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * The ups of {@code lane} counted in slots so far (for tests: with {@link #sharedUps(int)}, the
     * share of calls that took the slot path). Not a snapshot.
     */
    public long slotUps(int lane) {
        long ups = 0;
        if (owned) {
            Slot[] tb = slots;
            for (int i = 0; i < tb.length; i++) {
                Slot s = (Slot) SLOTS.getVolatile(tb, i);
                if (s != null) {
                    ups += lane == 0 ? s.up0 : s.up1;
                }
            }
        }
        return ups;
    }

    /** The ups of {@code lane} counted on the shared stripes so far (for tests). Not a snapshot. */
    public long sharedUps(int lane) {
        return shared(lane).sumUps();
    }

    /**
     * The calling thread's own ups minus downs of {@code lane} in its slot, or 0 where it has none
     * (registers nothing). For a waiter's diagnostics only, off every hot path: a positive value
     * says this thread began more sections (or took more uses) than it ended here, which is what a
     * thread waiting on itself shows; but an up ended on another thread leaves it positive too,
     * and ending another thread's up lowers it, so it is a hint, never proof.
     */
    @SuppressWarnings("deprecation") // Thread.getId(): see slot()
    public long ownNet(int lane) {
        if (!owned) {
            return 0;
        }
        Thread t = Thread.currentThread();
        Slot s = find(index, t.getId());
        if (s == null) {
            return 0;
        }
        return lane == 0 ? s.up0 - s.down0 : s.up1 - s.down1; // own stores: program order
    }

    /** Bytes this object holds (an estimate: stripes, slots array, index and slots). */
    public synchronized long footprintBytes() {
        long b = shared0.cellBytes() + (shared1 == null ? 0 : shared1.cellBytes());
        if (!owned) {
            return b;
        }
        return b + (slots == NO_SLOTS ? 0 : 16 + 4L * slots.length) + (index == NO_INDEX ? 0 : 16 + 4L * index.length)
                + SLOT_BYTES * made;
    }

    /** Bytes one Slot takes, with its WeakReference. */
    public static final long SLOT_BYTES = 176 + 32;
    /** The smallest index. */
    private static final int MIN_INDEX = 8;
    /** The slots of every object before its first registration; never written. */
    private static final Slot[] NO_SLOTS = new Slot[0];
    /**
     * The index of every object before its first registration: one empty entry (the fast path
     * masks with length - 1), never written, since entering the first slot rebuilds the index.
     */
    private static final Slot[] NO_INDEX = new Slot[1];
    /**
     * Slots per object at most: past this many platform threads alive and counting at once, the
     * others count on the shared stripes (correct, with an xadd). Bounds an updater's scan.
     */
    public static final int MAX_SLOTS = 1 << 16;

    /** Shared stripes per lane. */
    public int stripes() {
        return shared0.stripes();
    }

    private Stripes shared(int lane) {
        return lane == 0 ? shared0 : shared1;
    }

    // ---------------------------------------------------------------- registration (slow path)

    /**
     * Gives t a slot: the slot of a thread that has died if there is one (adoption: its totals go
     * on), else a new one; none at MAX_SLOTS slots all owned by live threads (then t counts on the
     * shared stripes, which is always correct). Out of line; runs once per thread and object.
     */
    private Slot register(Thread t, long id) {
        // The monitor of this object: only platform threads register, so no virtual thread is
        // ever pinned here, and an object does not carry a lock it rarely needs.
        synchronized (this) {
            Slot s = find(index, id); // registered since the racy probe?
            if (s != null) {
                return s;
            }
            Slot[] tb = slots;
            for (int i = 0; i < made; i++) {
                Slot d = tb[i];
                Thread owner = d.owner.get();
                // isAlive: happens-after the owner's last store. A cleared reference: the notes.
                if (owner == null || !owner.isAlive()) {
                    d.owner = new WeakReference<>(t);
                    d.ownerId = id; // plain: only t finds its own id, and t wrote it (invariant 5)
                    enter(d, id);
                    full = false;
                    return d;
                }
            }
            if (made == MAX_SLOTS) {
                full = true;
                return null;
            }
            s = new Slot(t, id);
            if (made == tb.length) {
                tb = Arrays.copyOf(tb, Math.max(MIN_INDEX / 2, 2 * tb.length));
            }
            SLOTS.setVolatile(tb, made++, s);
            slots = tb; // published before t's first up (invariant 3)
            enter(s, id);
            return s;
        }
    }

    /** The slot keyed by id in ix, or null. */
    private static Slot find(Slot[] ix, long id) {
        int m = ix.length - 1;
        for (int i = (int) id & m, n = 0; n < ix.length; i = (i + 1) & m, n++) {
            Slot s = ix[i];
            if (s == null) {
                return null;
            }
            if (s.ownerId == id) {
                return s;
            }
        }
        return null;
    }

    /** Puts s in the index under id; when half full, rebuilds it (one entry per slot, under its owner now). */
    private void enter(Slot s, long id) {
        if (2 * (indexed + 1) > index.length) {
            int n = MIN_INDEX;
            while (n < 4 * made) {
                n <<= 1;
            }
            Slot[] ix = new Slot[n];
            for (int i = 0; i < made; i++) {
                place(ix, slots[i], slots[i].ownerId); // one entry per slot, under its current owner
            }
            indexed = made;
            index = ix; // volatile; entries placed before it are seen whole
            return;     // s is in slots, so it was placed
        }
        place(index, s, id);
        indexed++;
    }

    private static void place(Slot[] ix, Slot s, long id) {
        int m = ix.length - 1;
        int i = (int) id & m;
        while (ix[i] != null) {
            i = (i + 1) & m;
        }
        ix[i] = s;
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
        /** The owner's thread id; read without the monitor by the fast path (see slot(), invariant 5). */
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
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Slot[].class);
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
