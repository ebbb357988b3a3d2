package dev.raceless.refcount;

import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Exact tracking of the uses of one {@link UseCount}, on only with the system property
 * {@value UseCount#DEBUG_PROPERTY}: every use held is recorded with the thread and the stack that
 * took it, so a release with no use open, or a hand-off while none is held, throws at the faulty
 * call, before the count is touched. Never used on the default path.
 */
final class UseTracker {
    /*
     * Implementation notes.
     *
     * The open uses are a deque of Use records. A release removes one: the caller's own if it
     * holds one (the common case), else the oldest (a use may legally end on another thread than
     * the one that took it, with or without a hand-off); with none open it is a release without an
     * acquire, for certain. Removal of one record is atomic (ConcurrentLinkedDeque.remove and
     * pollFirst), so two releases racing for the last use cannot both succeed.
     * A hand-off retain() needs an open use: with none open the caller cannot be a holder. (With
     * uses open, a non-holder's hand-off cannot be told apart from a holder's whose use was taken
     * on another thread: the count does not know who holds what beyond that.)
     */

    /** One use held: who took it, and where. */
    static final class Use extends Throwable {
        private static final long serialVersionUID = 1L;
        final transient Thread thread;

        Use(String how) {
            super(how + " on " + Thread.currentThread(), null, false, true);
            this.thread = Thread.currentThread();
        }
    }

    private final ConcurrentLinkedDeque<Use> open = new ConcurrentLinkedDeque<>();

    void taken() {
        open.add(new Use("use taken by tryAcquire()"));
    }

    /** @return false if no use is open: the hand-off cannot come from a holder */
    /** The debug check of a hand-off, before the count is touched. */
    void checkHandOff() {
        if (!handedOn()) {
            throw new IllegalStateException("retain() hands on a use the caller holds, but no use of this UseCount "
                    + "is held (debug tracking): take a first use with tryAcquire(); the count was left as it was");
        }
    }

    /** The debug check of a release, before the count is touched. */
    void checkRelease() {
        if (!released()) {
            throw new IllegalStateException("release() without a matching acquire (a double release?): no use "
                    + "of this UseCount is held (debug tracking); the count was left as it was");
        }
    }

    boolean handedOn() {
        if (open.isEmpty()) {
            return false;
        }
        open.add(new Use("use handed on by retain()"));
        return true;
    }

    /** @return false if no use is open: a release without a matching acquire */
    boolean released() {
        Thread me = Thread.currentThread();
        for (Iterator<Use> it = open.descendingIterator(); it.hasNext(); ) {
            Use u = it.next();
            if (u.thread == me && open.removeLastOccurrence(u)) {
                return true;
            }
        }
        return open.pollFirst() != null;
    }

    int held() {
        return open.size();
    }

    /** The uses held, each with the stack that took it, as suppressed exceptions of {@code into}. */
    <T extends Throwable> T describeInto(T into) {
        for (Use u : open) {
            into.addSuppressed(u);
        }
        return into;
    }

    /** One line per use held. */
    String describe() {
        StringBuilder b = new StringBuilder();
        for (Use u : open) {
            b.append("\n  ").append(u.getMessage());
            StackTraceElement[] st = u.getStackTrace();
            for (int i = 0; i < Math.min(8, st.length); i++) {
                b.append("\n      at ").append(st[i]);
            }
        }
        return b.toString();
    }
}
