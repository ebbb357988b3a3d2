package dev.raceless.stress.quiescent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The published object of the quiescent-state litmus tests: an updater unpublishes it, waits for a
 * grace period and marks it freed (a plain store); a reader that found it uses it for a while,
 * watching the mark with opaque loads (no ordering of their own: whatever ordering the test sees
 * comes from the domain). Seeing the mark from a reader that found the object is a use-after-free.
 */
final class Obj {
    /** Loads of the mark a reader makes while using the object: the width of its use window. */
    static final int USE_READS = 16;

    int freed;

    void free() {
        freed = 1;
    }

    /** 1 if the freed mark is set now (an opaque load). */
    int freedNow() {
        return (int) FREED.getOpaque(this);
    }

    /** Uses the object for a little while; 1 if the freed mark was ever seen. */
    int useAndWatch() {
        for (int i = 0; i < USE_READS; i++) {
            if (freedNow() != 0) {
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
            FREED = MethodHandles.lookup().findVarHandle(Obj.class, "freed", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
