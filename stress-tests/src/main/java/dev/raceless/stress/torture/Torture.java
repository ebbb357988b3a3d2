package dev.raceless.stress.torture;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every torture scenario shares: the run's deadline, counters of operations, errors and
 * injected faults per kind, latency histograms (HdrHistogram) per kind, and the stall threshold.
 *
 * <p>An <em>error</em> is a broken guarantee (a call after DEREGISTERED, two DEREGISTERED reports,
 * a use after its count was finished, a lost wake-up or interrupt, a stall nobody injected); any
 * error makes the run exit non-zero. A <em>fault</em> is something the run did on purpose (a
 * thread that dies holding a use, an interrupt, a tiny timeout); each injected stall must be
 * reported (counted under {@code stall reported}), never hang the run.
 */
final class Torture {
    /** A wait longer than this is a stall: reported, and rescued if it was injected. */
    final long stallNanos;
    private final long deadline;
    private final Map<String, LongAdder> ops = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> faults = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latencies = new ConcurrentHashMap<>();
    private final Map<String, String> firstError = new ConcurrentHashMap<>();

    Torture(long runNanos, long stallNanos) {
        this.deadline = System.nanoTime() + runNanos;
        this.stallNanos = stallNanos;
    }

    boolean running() {
        return System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted();
    }

    void op(String kind) {
        ops.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    void fault(String kind) {
        faults.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    void error(String kind, String detail) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
        if (firstError.putIfAbsent(kind, detail) == null) {
            System.err.println("ERROR " + kind + ": " + detail);
        }
    }

    /** Records a latency in nanoseconds under {@code kind}. */
    void latency(String kind, long nanos) {
        latencies.computeIfAbsent(kind, k -> new ConcurrentHistogram(TimeUnit.MINUTES.toNanos(10), 3))
                .recordValue(Math.max(0, Math.min(nanos, TimeUnit.MINUTES.toNanos(10))));
    }

    long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    void print(PrintStream out) {
        out.println("operations: " + sums(ops));
        out.println("faults injected: " + sums(faults));
        out.println("errors: " + (errors.isEmpty() ? "none" : sums(errors)));
        for (Map.Entry<String, Histogram> e : new TreeMap<>(latencies).entrySet()) {
            Histogram h = e.getValue();
            out.printf("latency %-28s n=%-9d p50=%9.1f us  p99=%9.1f us  p99.9=%9.1f us  max=%10.1f us%n", e.getKey(),
                    h.getTotalCount(), h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                    h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
        }
    }

    private static Map<String, Long> sums(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
