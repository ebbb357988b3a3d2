package dev.raceless.stress.quiescent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A one-reader quiescent-state mechanism broken on purpose, for BrokenOnlineUnpublishThenFree:
 * QuiescentDomain's protocol for one registered thread, with online() a release store and no
 * fence, and an updater that trusts an offline reading without a heavy barrier. The store of the
 * reader's counter can then sit in the store buffer while the reader reads the pointer.
 */
final class MiniQsbr {
    private volatile long gp = 1;
    /** 0 offline, else the gp value of the last report; the reader's only. */
    private volatile long ctr;

    /** Broken: a release store and a plain re-read, no fence between the store and later loads. */
    void online() {
        CTR.setRelease(this, (long) GP.getAcquire(this));
    }

    void offline() {
        ctr = 0; // volatile
    }

    void synchronize() {
        long g = (long) GP.getAndAdd(this, 1L) + 1L;
        for (;;) {
            long c = ctr;
            if (c == 0 || c >= g) {
                return; // broken: an offline reading trusted with no barrier after the add
            }
            Thread.onSpinWait();
        }
    }

    // VarHandle mechanics
    private static final VarHandle GP;
    private static final VarHandle CTR;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            GP = l.findVarHandle(MiniQsbr.class, "gp", long.class);
            CTR = l.findVarHandle(MiniQsbr.class, "ctr", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
