package dev.raceless.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Stall reports, the JVM's RCU CPU-stall warnings: a wait that lasts longer than a threshold is
 * reported once, with what waits, for how long, and on what. The default threshold is 10 s, or the
 * system property {@value #PROPERTY} (milliseconds); each object can set its own.
 */
public final class Stalls {
    /** System property: the default stall threshold in milliseconds. */
    public static final String PROPERTY = "dev.raceless.stall.millis";
    /** The default threshold, in nanoseconds. */
    public static final long DEFAULT_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong(PROPERTY, 10_000L));

    private Stalls() {
    }

    /** The default reporter: a WARNING through {@link System.Logger} {@code logger}. */
    public static Consumer<String> logTo(String logger) {
        return report -> System.getLogger(logger).log(System.Logger.Level.WARNING, report);
    }

    /** Checks a threshold given by a caller. */
    public static long thresholdNanos(long threshold, TimeUnit unit) {
        if (threshold <= 0) {
            throw new IllegalArgumentException("the stall threshold must be positive, was " + threshold + " " + unit);
        }
        return unit.toNanos(threshold);
    }

    /** {@code nanos} as milliseconds with one decimal, for reports. */
    public static String millis(long nanos) {
        return String.format("%.1f ms", nanos / 1e6);
    }
}
