package dev.raceless.stress.harness;

import java.util.concurrent.TimeUnit;

/**
 * How long a scenario may run: a number of rounds and a wall-clock cap, whichever ends first.
 * The cap is multiplied by the system property {@code raceless.stress.scale} (default 1), so a
 * longer soak is one switch away: {@code -Draceless.stress.scale=20}.
 *
 * @param rounds the most rounds to run
 * @param nanos  the wall-clock cap, in nanoseconds, already scaled
 */
public record Budget(long rounds, long nanos) {

    /** The scale factor from {@code -Draceless.stress.scale}, at least a tenth. */
    public static double scale() {
        return Math.max(0.1, Double.parseDouble(System.getProperty("raceless.stress.scale", "1")));
    }

    /** {@code rounds} rounds or {@code millis} milliseconds (times the scale), whichever ends first. */
    public static Budget of(long rounds, long millis) {
        double s = scale();
        return new Budget((long) Math.min(Long.MAX_VALUE / 2.0, rounds * s),
                TimeUnit.MILLISECONDS.toNanos((long) (millis * s)));
    }

    /** The deadline, on the {@link System#nanoTime()} clock, for a run starting at {@code start}. */
    public long deadline(long start) {
        return start + nanos;
    }
}
