package dev.raceless.stress.harness;

/**
 * Threads placed on chosen stripes. raceless maps a thread to stripe {@code id & (stripes - 1)}
 * (internal.Stripes), and thread ids are handed out in sequence, so a thread for stripe {@code s}
 * is found by creating thread objects until one has an id that maps to {@code s}: at most
 * {@code stripes} tries. The rejected threads are never started.
 */
final class StripeThreads {
    private StripeThreads() {
    }

    /**
     * A daemon thread, not started, whose id maps to {@code stripe} among {@code stripes}.
     *
     * @param stripes a power of two
     */
    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+, and this is release 17
    static Thread onStripe(int stripe, int stripes, String name, Runnable body) {
        int mask = stripes - 1;
        for (int tries = 0; tries <= 4 * stripes; tries++) {
            Thread t = new Thread(body, name + "@stripe" + stripe);
            if (((int) t.getId() & mask) == (stripe & mask)) {
                t.setDaemon(true);
                return t;
            }
        }
        throw new IllegalStateException("no thread id mapped to stripe " + stripe + " of " + stripes);
    }
}
