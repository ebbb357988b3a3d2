package dev.raceless.refcount;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hot path allocates nothing: a million {@code tryAcquire}/{@code release} (or hand-off
 * {@code retain}/{@code release}) pairs, after warm-up so that the JIT has compiled the loop, add
 * less than {@value #SLACK_BYTES} bytes to the thread's allocation counter
 * ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}). The slack covers the counter
 * read itself and one-off JVM bookkeeping; one allocation per pair would show as megabytes.
 */
class UseCountAllocationTest {
    private static final int PAIRS = 1_000_000;
    private static final int WARM_UP_ROUNDS = 5;
    private static final long SLACK_BYTES = 1024;

    @BeforeAll
    static void needsAllocationCounter() {
        assumeTrue(ThreadAllocation.supported(), "per-thread allocation counter not available");
    }

    /** Bytes the current thread allocates while running {@code loop} once more after warm-up. */
    private static long allocatedBy(Runnable loop) {
        for (int i = 0; i < WARM_UP_ROUNDS; i++) {
            loop.run();
        }
        ThreadAllocation.allocatedBytes(); // link and compile the reader outside the measurement
        long before = ThreadAllocation.allocatedBytes();
        loop.run();
        return ThreadAllocation.allocatedBytes() - before;
    }

    @Test
    void tryAcquireAndReleaseAllocateNothing() {
        UseCount uc = new UseCount();
        long bytes = allocatedBy(() -> {
            for (int i = 0; i < PAIRS; i++) {
                if (!uc.tryAcquire()) {
                    throw new AssertionError("tryAcquire failed on a live count");
                }
                uc.release();
            }
        });
        assertTrue(bytes < SLACK_BYTES, bytes + " bytes allocated by " + PAIRS + " tryAcquire/release pairs");
    }

    @Test
    void retainAndReleaseAllocateNothing() {
        UseCount uc = new UseCount();
        uc.tryAcquire(); // hand-off needs a use held
        long bytes = allocatedBy(() -> {
            for (int i = 0; i < PAIRS; i++) {
                uc.retain();
                uc.release();
            }
        });
        assertTrue(bytes < SLACK_BYTES, bytes + " bytes allocated by " + PAIRS + " retain/release pairs");
    }

    @Test
    void handOffAndReleaseWhileGoingAllocateNothing() {
        UseCount uc = new UseCount();
        uc.tryAcquire();
        uc.shutdown(); // releases now take the slow path that counts every stripe
        long bytes = allocatedBy(() -> {
            for (int i = 0; i < PAIRS; i++) {
                uc.retain();
                uc.release();
            }
        });
        assertTrue(bytes < SLACK_BYTES, bytes + " bytes allocated by " + PAIRS + " pairs while GOING");
    }

    @Test
    void failedTryAcquireAllocatesNothing() {
        UseCount uc = new UseCount();
        uc.tryAcquire();
        uc.shutdown();
        long bytes = allocatedBy(() -> {
            for (int i = 0; i < PAIRS; i++) {
                if (uc.tryAcquire()) {
                    throw new AssertionError("tryAcquire succeeded on a GOING count");
                }
            }
        });
        assertTrue(bytes < SLACK_BYTES, bytes + " bytes allocated by " + PAIRS + " failed tryAcquires");
    }
}
