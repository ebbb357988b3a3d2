package dev.raceless.refcount;

import dev.raceless.internal.Flavour;

import java.util.List;
import java.util.Objects;

/**
 * {@link UseCount#tryShutdownAll}: {@code tryShutdown()} on several counts at once, all or nothing,
 * with the read side's heavy barrier paid once for the group.
 */
final class GroupShutdown {
    /*
     * Implementation notes.
     *
     * The steps of one tryShutdown, each done for every count before the next step starts:
     *   1. LIVE -> TRYING on each count (a count found not LIVE: roll back the ones moved, false);
     *   2. one heavy barrier (ASYMMETRIC: membarrier; FENCED: nothing) for all of them;
     *   3. count each, downs before ups;
     *   4. all idle: TRYING -> DEAD on each; any busy or negative: TRYING -> LIVE on each.
     * Step 2 is the updater's half of UseCount's Dekker pair for every count at once: each CAS of
     * step 1 precedes the barrier, so a tentative up that read LIVE before it is visible to the sum
     * of step 3 (UseCount's notes, "tryAcquire vs shutdown"). The caller is the only one shutting
     * these counts down (a group's claim on its members), so from TRYING only a racing last release
     * or back-out can end a word (DEAD), and rollBack then starts a new life: "as before, but for
     * that instant". jcstress TryShutdownAllVsTryAcquire checks the pair.
     */

    private GroupShutdown() {
    }

    static boolean tryShutdownAll(List<UseCount> counts) {
        Objects.requireNonNull(counts, "counts");
        int n = counts.size();
        for (UseCount c : counts) { // before anything moves: a null leaves everything as it was
            Objects.requireNonNull(c, "counts contains null");
        }
        long[] words = new long[n];
        for (int i = 0; i < n; i++) { // 1. LIVE -> TRYING, each: no new use from here on
            UseCount c = counts.get(i);
            long s;
            do {
                s = c.stateWord();
                if (StateWord.phase(s) != StateWord.LIVE) {
                    rollBack(counts, words, i);
                    return false;
                }
            } while (!c.casState(s, words[i] = StateWord.next(s, StateWord.TRYING)));
        }
        Flavour.heavyBarrier(); // 2. once for all: every use announced before the CASes is visible
        boolean idle = true;
        UseCount negative = null;
        for (int i = 0; i < n; i++) { // 3. count each, downs before ups
            long p = counts.get(i).sum();
            idle &= p == 0;
            if (p < 0) {
                negative = counts.get(i);
            }
        }
        if (!idle) {
            rollBack(counts, words, n);
            if (negative != null) {
                throw Corruption.negativeCount(negative, "tryShutdownAll()");
            }
            return false;
        }
        for (int i = 0; i < n; i++) { // 4. all idle: end every life
            UseCount c = counts.get(i);
            if (!c.endLife(words[i]) && !StateWord.isDead(c.stateWord())) {
                // Moved to GOING by a shutdown() that ran despite the contract: not all or nothing
                // any more; give back the ones ended and report false.
                for (int j = 0; j < n; j++) {
                    if (j != i) {
                        counts.get(j).reopen();
                    }
                }
                return false;
            }
        }
        return true;
    }

    /** Gives the first {@code moved} counts back: TRYING -> LIVE, or a new life if one ended. */
    private static void rollBack(List<UseCount> counts, long[] words, int moved) {
        for (int i = 0; i < moved; i++) {
            UseCount c = counts.get(i);
            if (!c.casState(words[i], StateWord.next(words[i], StateWord.LIVE)) && StateWord.isDead(c.stateWord())) {
                c.reopen(); // a last release ended it in between: "as before but for that instant"
            }
        }
    }
}
