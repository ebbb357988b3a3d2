package dev.raceless.lincheck;

/**
 * Test support: the uses each Lincheck thread holds, so that an operation "by a holder" (a
 * release, a hand-off acquire) is only made by a thread that holds a use, as the contract
 * requires. Indexed by the thread id Lincheck passes ({@code ThreadIdGen}); the tested object and
 * its sequential specification each keep their own.
 */
final class Holdings {
    private final int[] held = new int[4];

    boolean holds(int thread) {
        return held[thread] > 0;
    }

    void took(int thread) {
        held[thread]++;
    }

    void dropped(int thread) {
        held[thread]--;
    }

    /** {@return whether any thread holds a use} */
    boolean any() {
        for (int h : held) {
            if (h > 0) {
                return true;
            }
        }
        return false;
    }
}
