package dev.raceless.refcount;

import dev.raceless.internal.ReaderCounts;

/**
 * The body of {@link UseCount.Local}: a thread's view of a count, with its slot or stripe cell
 * found once. Package-private so that the public type stays {@code UseCount.Local}; its methods are
 * final, so a call through a {@code Local} binds to them directly.
 */
abstract class LocalView {
    /*
     * Implementation notes.
     *
     * Each method is UseCount's own call with the lookup of the caller's slot (ASYMMETRIC) or cell
     * (FENCED) replaced by the one made at construction, after the owner check: a slot has one
     * writer, so a Local used from another thread would lose updates and could make a false zero.
     * The stores are the count's (same slot, same access mode), so every proof in UseCount's notes
     * covers them (jcstress LocalTryAcquireVsShutdown).
     */

    private final UseCount count;
    private final Thread owner;
    /** ASYMMETRIC: the owner's slot of the count, or null (a virtual thread, past ReaderCounts.MAX_SLOTS). */
    private final ReaderCounts.Slot slot;
    /** FENCED: the owner's stripe cell (found once, as the slot is). */
    private final int cell;

    LocalView(UseCount count) {
        this.count = count;
        this.owner = Thread.currentThread();
        this.slot = UseCount.SLOTS ? count.slots.ownSlot() : null;
        this.cell = UseCount.SLOTS ? -1 : count.stripes.cellOfCurrentThread();
    }

    /**
     * {@link UseCount#tryAcquire()}, from the thread that made this Local.
     *
     * @return {@code true} if a use was taken; release it (through this Local or the count)
     * @throws IllegalStateException if called from another thread; nothing was taken
     */
    public final boolean tryAcquire() {
        checkOwner("tryAcquire()");
        UseCount c = count;
        if (!UseCount.SLOTS) {
            c.stripes.up(cell); // the same xadd on the same cell as UseCount.tryAcquire()
            return c.afterUp();
        }
        ReaderCounts.Slot s = slot;
        if (s == null) {
            return c.tryAcquire();
        }
        ReaderCounts.upRelease(s, 0); // the same release store on the same slot as UseCount.tryAcquire()
        return c.afterUp();
    }

    /**
     * {@link UseCount#release()}, from the thread that made this Local.
     *
     * @throws IllegalStateException if called from another thread, or as
     *         {@link UseCount#release()} throws; the count is left as it was
     */
    public final void release() {
        checkOwner("release()");
        UseCount c = count;
        if (!UseCount.SLOTS) {
            c.beforeDown();
            c.stripes.down(cell);
            c.afterDown();
            return;
        }
        ReaderCounts.Slot s = slot;
        if (s == null) {
            c.release();
            return;
        }
        c.beforeDown();
        ReaderCounts.down(s, 0);
        c.afterDown();
    }

    /**
     * The count this is a view of.
     *
     * @return the count
     */
    public final UseCount count() {
        return count;
    }

    /**
     * The thread that made this Local, the only one that may call it.
     *
     * @return the owner thread
     */
    public final Thread owner() {
        return owner;
    }

    private void checkOwner(String operation) {
        Thread t = Thread.currentThread();
        if (t != owner) {
            throw new IllegalStateException(operation + " on a UseCount.Local made by thread \"" + owner.getName()
                    + "\", called from thread \"" + t.getName() + "\": a Local is confined to the thread that "
                    + "made it (call local() on this thread, or call the UseCount itself); the count was left "
                    + "as it was");
        }
    }

    @Override
    public String toString() {
        return "UseCount.Local[thread " + owner.getName()
                + (slot != null ? ", own slot" : UseCount.SLOTS ? ", no slot of its own" : ", own stripe cell")
                + ", " + count + "]";
    }
}
