package dev.raceless.lincheck;

import dev.raceless.refcount.UseCount.State;

/**
 * The sequential specification of {@code UseCount}, from its Javadoc: three states; a shutdown of
 * an idle count goes straight to DEAD; the release that empties a GOING count makes it DEAD;
 * {@code tryShutdown} is all or nothing; {@code cancelShutdown} takes a GOING count back to LIVE;
 * {@code reopen} starts a new life from DEAD. Methods mirror {@link UseCountLincheckTest}'s
 * operations one to one.
 */
public final class UseCountSpec {
    private State state = State.LIVE;
    private int held;
    private final Holdings holdings = new Holdings();

    public boolean tryAcquire(int thread) {
        if (state != State.LIVE) {
            return false;
        }
        held++;
        holdings.took(thread);
        return true;
    }

    public boolean retainByHolder(int thread) {
        if (!holdings.holds(thread)) {
            return false;
        }
        held++;
        holdings.took(thread);
        return true;
    }

    public boolean releaseByHolder(int thread) {
        if (!holdings.holds(thread)) {
            return false;
        }
        held--;
        holdings.dropped(thread);
        if (state == State.GOING && held == 0) {
            state = State.DEAD;
        }
        return true;
    }

    public void shutdown() {
        if (state == State.LIVE) {
            state = held == 0 ? State.DEAD : State.GOING;
        }
    }

    public boolean tryShutdown() {
        if (state == State.LIVE && held == 0) {
            state = State.DEAD;
        }
        return state == State.DEAD;
    }

    public boolean cancelShutdown() {
        if (state != State.GOING) {
            return false;
        }
        state = State.LIVE;
        return true;
    }

    public boolean reopen() {
        if (state != State.DEAD) {
            return false;
        }
        state = State.LIVE;
        return true;
    }

    public State state() {
        return state;
    }
}
