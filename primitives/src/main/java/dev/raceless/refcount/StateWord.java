package dev.raceless.refcount;

/**
 * The layout of a {@link UseCount}'s state word and the helpers that read it.
 *
 * <pre>
 *   bits 63..3  seq    incremented by every transition, so a word is never seen twice (no ABA)
 *   bits  2..0  phase  LIVE=0, TRYING=1, GOING=2, DEAD=3, OPENING=4
 *
 *   LIVE     uses may be taken
 *   TRYING   tryShutdown is counting; reported as GOING; may roll back to LIVE
 *   GOING    shutdown committed; cannot roll back
 *   DEAD     this life is over; termination completed
 *   OPENING  reopen is installing the next life's future; reported as DEAD
 * </pre>
 */
final class StateWord {
    static final int LIVE = 0;
    static final int TRYING = 1;
    static final int GOING = 2;
    static final int DEAD = 3;
    static final int OPENING = 4;
    private static final int PHASE_BITS = 3;
    private static final long PHASE_MASK = (1L << PHASE_BITS) - 1;

    private StateWord() {
    }

    static int phase(long word) {
        return (int) (word & PHASE_MASK);
    }

    /** The word after a transition to {@code phase}: the seq moves on, so no word repeats. */
    static long next(long word, int phase) {
        return ((word >>> PHASE_BITS) + 1) << PHASE_BITS | phase;
    }

    static boolean isClosing(long word) {
        int ph = phase(word);
        return ph == TRYING || ph == GOING;
    }

    /** The public state of a word: TRYING is reported as GOING, OPENING as DEAD. */
    static UseCount.State reported(long word) {
        switch (phase(word)) {
            case LIVE:
                return UseCount.State.LIVE;
            case TRYING:
            case GOING:
                return UseCount.State.GOING;
            default:
                return UseCount.State.DEAD;
        }
    }

    /** DEAD or OPENING, the phases from DEAD up: one compare on the release path. */
    static boolean isDead(long word) {
        return phase(word) >= DEAD;
    }
}
