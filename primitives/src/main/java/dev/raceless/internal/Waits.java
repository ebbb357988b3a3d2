package dev.raceless.internal;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The one naming scheme for waits, and the checks of a caller's timeout. Every primitive spells its
 * waiting operations the same way: {@code tryX()} never waits (failure is a value), {@code
 * tryX(timeout, unit)} waits at most that long, {@code x()} waits until done. Inside, the three are
 * one method taking a {@link Mode}.
 */
public final class Waits {
    /** How long an operation may wait. */
    public enum Mode {
        /** {@code tryX()}: never waits, never parks. */
        TRY,
        /** {@code tryX(timeout, unit)}: waits until a deadline. */
        TIMED,
        /** {@code x()}: waits until done. */
        FOREVER
    }

    private Waits() {
    }

    /**
     * Checks a caller's timeout and converts it.
     *
     * @param timeout the longest time to wait, not negative
     * @param unit its unit
     * @return {@code timeout} in nanoseconds (saturated, as {@link TimeUnit#toNanos} does)
     * @throws NullPointerException if {@code unit} is null
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static long timeoutNanos(long timeout, TimeUnit unit) {
        Objects.requireNonNull(unit, "unit");
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout + " " + unit);
        }
        return unit.toNanos(timeout);
    }
}
