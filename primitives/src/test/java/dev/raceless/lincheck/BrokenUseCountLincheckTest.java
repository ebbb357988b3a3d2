package dev.raceless.lincheck;

import dev.raceless.refcount.UseCount.State;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The check of {@link UseCountLincheckTest} ({@link UseCountOperations} against
 * {@link UseCountSpec}) catches a deliberately broken count: one whose
 * {@code tryAcquire} reads the state and then announces its use (check, then act) instead of
 * announcing and then reading. A shutdown of the idle count can then pass between the two, find
 * no use and end the life, and the tryAcquire still returns true: a use taken on a DEAD count,
 * which no sequential history of the state machine explains. Always runs: it asserts that
 * Lincheck fails.
 */
public class BrokenUseCountLincheckTest extends UseCountOperations {

    /** One counter and a state word; everything is right except the order inside tryAcquire. */
    static final class CheckThenAnnounceCount implements Count {
        private static final int LIVE = 0;
        private static final int GOING = 1;
        private static final int DEAD = 2;
        private final AtomicLong held = new AtomicLong();
        private final AtomicInteger state = new AtomicInteger(LIVE);

        @Override
        public boolean tryAcquire() {
            if (state.get() != LIVE) {
                return false;
            }
            held.incrementAndGet(); // broken: announced after the state was read
            return true;
        }

        @Override
        public void retain() {
            held.incrementAndGet();
        }

        @Override
        public void release() {
            if (held.decrementAndGet() == 0) {
                state.compareAndSet(GOING, DEAD);
            }
        }

        @Override
        public void shutdown() {
            if (state.compareAndSet(LIVE, GOING) && held.get() == 0) {
                state.compareAndSet(GOING, DEAD);
            }
        }

        @Override
        public boolean tryShutdown() {
            if (held.get() == 0) {
                state.compareAndSet(LIVE, DEAD);
            }
            return state.get() == DEAD;
        }

        @Override
        public boolean cancelShutdown() {
            return held.get() > 0 && state.compareAndSet(GOING, LIVE);
        }

        @Override
        public boolean reopen() {
            return state.compareAndSet(DEAD, LIVE);
        }

        @Override
        public State state() {
            int s = state.get();
            return s == LIVE ? State.LIVE : s == GOING ? State.GOING : State.DEAD;
        }
    }

    public BrokenUseCountLincheckTest() {
        super(new CheckThenAnnounceCount());
    }

    @Test
    void lincheckCatchesAUseTakenOnADeadCount() {
        AssertionError caught = assertThrows(AssertionError.class,
                () -> LincheckRuns.modelCheck(UseCountSpec.class).check(BrokenUseCountLincheckTest.class));
        String[] lines = caught.getMessage().split("\n");
        System.out.println("Lincheck on the broken use count, as expected:\n"
                + String.join("\n", java.util.Arrays.copyOf(lines, Math.min(lines.length, 12))));
        assertTrue(caught.getMessage().contains("= Invalid execution results ="), caught.getMessage());
    }
}
