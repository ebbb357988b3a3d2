package dev.raceless.stress.harness;

import dev.raceless.refcount.UseCount;

import java.util.concurrent.CompletableFuture;

/**
 * The operations {@link HandOffAcrossStripesStress} performs on a use count, so that the same
 * harness can run on {@link UseCount} and on the deliberately broken
 * {@link BrokenNetStripesCount}. Each method means what the {@code UseCount} method of the same
 * name means.
 */
interface HandOffCount {

    /** Takes a use if the count is live. */
    boolean tryAcquire();

    /** Takes another use on behalf of a holder (a hand-off); legal while GOING. */
    void retain();

    /** Drops a use; the last one of a GOING count ends the life. */
    void release();

    /** LIVE to GOING (or straight to DEAD when no use is held). */
    void shutdown();

    /**
     * Called only on a GOING count: counts the uses held, ends the life if there are none, and
     * says whether the count is DEAD. ({@code UseCount.tryShutdown()} on a GOING count: an
     * unloader polling until the module is gone.)
     */
    boolean tryShutdown();

    /** Whether this life is over: DEAD, or (for UseCount) its termination has completed. */
    boolean isDead();

    /** A fresh {@link UseCount} with {@code stripes} stripes, seen through this interface. */
    static HandOffCount useCount(int stripes) {
        UseCount count = new UseCount(stripes);
        CompletableFuture<Void> life = count.termination(); // the first and only life: never reopened here
        return new HandOffCount() {
            @Override
            public boolean tryAcquire() {
                return count.tryAcquire();
            }

            @Override
            public void retain() {
                count.retain();
            }

            @Override
            public void release() {
                count.release();
            }

            @Override
            public void shutdown() {
                count.shutdown();
            }

            @Override
            public boolean tryShutdown() {
                return count.tryShutdown();
            }

            @Override
            public boolean isDead() {
                return count.state() == UseCount.State.DEAD || life.isDone();
            }

            @Override
            public String toString() {
                return count.toString();
            }
        };
    }
}
