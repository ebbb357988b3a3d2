package dev.raceless.refcount;

/**
 * Misuse of a {@link UseCount} that the count can see (more releases than acquires): the messages,
 * the one-time log, and {@link UseCount#repair()}.
 */
final class Corruption {
    /*
     * Implementation notes.
     *
     * A release that reads DEAD before its down is misuse for certain (a holder's own life cannot
     * be DEAD): it throws without touching the count. pending() < 0 is impossible with correct use
     * (every counted down has its up counted), so it proves a release without an acquire; the call
     * that finds it leaves the count as it was and throws negativeCount. The first corruption of a
     * count is also logged at ERROR, so it is seen even if the caller swallows the exception.
     * repair() adds the missing ups: afterwards the count reads only the uses really held.
     */

    private Corruption() {
    }

    static IllegalStateException releaseOnDead() {
        return new IllegalStateException("release() on a DEAD UseCount: a release without a matching acquire "
                + "(no use is held in a dead life; a double release?); the count was left as it was");
    }

    static IllegalStateException retainOnDead() {
        return new IllegalStateException("retain() on a DEAD UseCount: retain() hands on a use the caller "
                + "already holds, and no use is held in a dead life; take a first use with tryAcquire()");
    }

    static IllegalStateException negativeCount(UseCount count, String operation) {
        IllegalStateException e = new IllegalStateException(operation + " found more releases than acquires on "
                + "this UseCount: release() was called without a matching acquire; the count was left as it "
                + "was. repair() accepts the corruption (run with -D" + UseCount.DEBUG_PROPERTY + "=true to catch "
                + "the faulty release where it happens)");
        if (!count.corruptionReported) { // once per count, through the logger, even if the caller swallows it
            count.corruptionReported = true; // benign race: at worst logged twice
            System.getLogger("dev.raceless.refcount").log(System.Logger.Level.ERROR, "corrupted " + count, e);
        }
        return e;
    }

    /** Adds the acquires a corrupted count is missing; see {@link UseCount#repair()}. */
    static long repair(UseCount count) {
        long p = count.count();
        for (long i = p; i < 0; i++) {
            count.up();
        }
        return Math.max(0L, -p);
    }
}
