package dev.raceless.refcount;

import dev.raceless.internal.Flavour;
import dev.raceless.internal.ReaderCounts;
import dev.raceless.internal.Stripes;

/**
 * The counting half of a {@link UseCount}: where uses are announced (ups) and dropped (downs), and
 * the Piggin-safe sum every decision is made on. A field-holder superclass (as JCTools lays out its
 * queues): {@code UseCount} extends it, so the hot path reads these fields directly, with no extra
 * indirection.
 */
abstract class CountCells {
    /*
     * Implementation notes.
     *
     * FENCED: internal.Stripes, an xadd on the caller's padded stripe cell on each side, used
     * directly (no ReaderCounts indirection on the hot path). ASYMMETRIC: internal.ReaderCounts,
     * a release store to a slot the calling platform thread owns, with shared stripes for virtual
     * threads; count() pays the heavy barrier (membarrier) that makes those stores visible. Both
     * hold monotonic totals of ups (acquires, including tryAcquire's tentative up) and downs
     * (releases and back-outs); the sum reads all downs before all ups, so a use handed across
     * stripes is never missed (docs/use-count.md, proof 2). SLOTS is a static final constant, so
     * only one branch of each method is compiled.
     */

    /** How platform threads count: owned slots with release stores (ASYMMETRIC) or xadd on a stripe. */
    static final boolean SLOTS = Flavour.ASYMMETRIC;

    /** ASYMMETRIC only: owned slots (and shared stripes for virtual threads). */
    final ReaderCounts slots;
    /** FENCED only: the padded stripes, an xadd on each side. */
    final Stripes stripes;

    CountCells(int stripes) {
        this.slots = SLOTS ? new ReaderCounts(1, stripes, ReaderCounts.Mode.RELEASE) : null;
        this.stripes = SLOTS ? null : new Stripes(stripes);
    }

    /** One up on the caller's slot (ASYMMETRIC) or stripe (FENCED). */
    final void up() {
        if (SLOTS) {
            slots.up(0);
        } else {
            stripes.up();
        }
    }

    /** One down on the caller's slot (ASYMMETRIC) or stripe (FENCED). */
    final void down() {
        if (SLOTS) {
            slots.down(0);
        } else {
            stripes.down();
        }
    }

    /** Ups minus downs, downs summed first (Piggin-safe), without any barrier. */
    final long sum() {
        return SLOTS ? slots.pending(0) : stripes.pending();
    }

    /**
     * The count every decision is made on: in the ASYMMETRIC flavour the heavy barrier first, so that
     * every use announced by a thread that read LIVE before the caller's state write is visible to
     * the sum (the updater's half of the Dekker pair); then the Piggin-safe sum.
     */
    final long count() {
        Flavour.heavyBarrier();
        return sum();
    }
}
