package dev.raceless.internal;

import dev.raceless.internal.jfr.StallEvent;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Stall reports, the JVM's RCU CPU-stall warnings: a wait that lasts longer than a threshold is
 * reported once, with what waits, for how long, and on what. The default threshold is 10 s, or the
 * system property {@value #PROPERTY} (milliseconds); each object can set its own.
 *
 * <p>An instance is one immutable policy (threshold and reporter), held in a volatile field by the
 * object whose waits it reports and replaced whole by that object's {@code reportStalls}. Every
 * primitive reports through {@link #report}: the report goes to the reporter and, when recording,
 * to a JFR {@link StallEvent}; a reporter that throws is logged and never breaks the wait.
 */
public final class Stalls {
    /** System property: the default stall threshold in milliseconds. */
    public static final String PROPERTY = "dev.raceless.stall.millis";
    /** The default threshold, in nanoseconds. */
    public static final long DEFAULT_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong(PROPERTY, 10_000L));

    private final long nanos;
    private final Consumer<String> reporter;
    private final String logger;

    private Stalls(long nanos, Consumer<String> reporter, String logger) {
        this.nanos = nanos;
        this.reporter = reporter;
        this.logger = logger;
    }

    /**
     * The default policy of a package: {@link #DEFAULT_NANOS}, a WARNING through the logger.
     *
     * @param logger the {@link System.Logger} name, also where a failing reporter is logged
     * @return the policy
     */
    public static Stalls defaults(String logger) {
        return new Stalls(DEFAULT_NANOS, logTo(logger), logger);
    }

    /**
     * A policy set by a caller of {@code reportStalls(threshold, unit, reporter)}, checked.
     *
     * @param threshold how long a wait may last before it is reported, positive
     * @param unit the unit of {@code threshold}
     * @param reporter receives each report
     * @param logger where a failing reporter is logged
     * @return the policy
     * @throws NullPointerException if {@code unit} or {@code reporter} is null
     * @throws IllegalArgumentException if {@code threshold} is not positive
     */
    public static Stalls of(long threshold, TimeUnit unit, Consumer<String> reporter, String logger) {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(reporter, "reporter");
        return new Stalls(thresholdNanos(threshold, unit), reporter, logger);
    }

    /**
     * The same threshold, with every report prefixed (a registration or a loader key naming what the
     * count behind it waits for).
     *
     * @param prefix put before each report
     * @return the policy
     */
    public Stalls prefixed(String prefix) {
        Consumer<String> r = reporter;
        return new Stalls(nanos, report -> r.accept(prefix + report), logger);
    }

    /**
     * How long a wait may last before it is reported.
     *
     * @return the threshold in nanoseconds
     */
    public long nanos() {
        return nanos;
    }

    /**
     * Reports one stall: a JFR event when recording, then the reporter; a reporter that throws is
     * logged and the caller's wait goes on.
     *
     * @param waiter what waits, for the JFR event ("synchronize() of GraceDomain[...]")
     * @param waited how long it has waited, in nanoseconds
     * @param report the text of the report
     */
    public void report(String waiter, long waited, String report) {
        StallEvent event = new StallEvent();
        if (event.shouldCommit()) {
            event.waiter = waiter;
            event.waited = waited;
            event.report = report;
            event.commit();
        }
        try {
            reporter.accept(report);
        } catch (RuntimeException e) { // a broken reporter must not break the wait
            System.getLogger(logger).log(System.Logger.Level.WARNING, "stall reporter threw", e);
        }
    }

    /**
     * The default reporter: a WARNING through {@link System.Logger} {@code logger}.
     *
     * @param logger the logger name
     * @return the reporter
     */
    public static Consumer<String> logTo(String logger) {
        return report -> System.getLogger(logger).log(System.Logger.Level.WARNING, report);
    }

    /**
     * Checks a threshold given by a caller.
     *
     * @param threshold the threshold, positive
     * @param unit its unit
     * @return the threshold in nanoseconds
     * @throws IllegalArgumentException if {@code threshold} is not positive
     */
    public static long thresholdNanos(long threshold, TimeUnit unit) {
        if (threshold <= 0) {
            throw new IllegalArgumentException("the stall threshold must be positive, was " + threshold + " " + unit);
        }
        return unit.toNanos(threshold);
    }

    /**
     * {@code nanos} as milliseconds with one decimal, for reports.
     *
     * @param nanos a duration in nanoseconds
     * @return for example "10000.0 ms"
     */
    public static String millis(long nanos) {
        return String.format("%.1f ms", nanos / 1e6);
    }
}
