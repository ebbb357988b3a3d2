package dev.raceless.stress.grace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The published object of the grace-period litmus tests: an updater unpublishes it, waits for a
 * grace period and marks it freed; a reader inside a section that found it uses it for a while,
 * watching the mark. Seeing the mark set from inside a section that found the object is the
 * use-after-free every grace mechanism exists to prevent.
 *
 * <p>The mark is written with a plain store and watched with opaque loads: no ordering of its own,
 * so any ordering the test observes comes from the grace mechanism. (Opaque, not plain, only so
 * the JIT cannot hoist the load out of the watching loop; the JMM's happens-before consistency
 * applies to opaque loads just as to plain ones.)
 */
final class Node {
    /** Loads of the mark a reader makes while using the object: the width of its use window. */
    static final int USE_READS = 16;

    int freed; // 0 live, 1 freed; plain store by the updater

    /** Marks the object freed, as a plain store (a real free would not fence either). */
    void free() {
        freed = 1;
    }

    /**
     * Uses the object for a little while, as a reader would, and reports whether it ever saw the
     * freed mark. The window matters only for the broken variants: it gives the updater time to
     * reach its free while the reader still holds the object.
     *
     * @return 1 if the mark was seen set, else 0
     */
    int useAndWatch() {
        for (int i = 0; i < USE_READS; i++) {
            if ((int) FREED.getOpaque(this) != 0) {
                return 1;
            }
            Thread.onSpinWait();
        }
        return 0;
    }

    // VarHandle mechanics
    private static final VarHandle FREED;

    static {
        try {
            FREED = MethodHandles.lookup().findVarHandle(Node.class, "freed", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
