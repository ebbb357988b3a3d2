package dev.raceless.stress.harness;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the scenarios of one run share: the run's deadline, counters of operations, errors and
 * injected faults per kind, latency histograms (HdrHistogram) per kind, the stall threshold, and
 * the one-line verdicts of bounded scenarios.
 *
 * <p>An <em>error</em> is a broken guarantee (a call after DEREGISTERED, two DEREGISTERED reports,
 * a use after its count was finished, a lost wake-up or interrupt, a stall nobody injected, a
 * failed verdict); any error fails the run. A <em>fault</em> is something the run did on purpose
 * (a thread that dies holding a use, an interrupt, a tiny timeout); each injected stall must be
 * reported (counted under {@code stall reported}), never hang the run.
 */
public final class Run {
    private final long stallNanos;
    private final long deadline;
    private final Map<String, LongAdder> ops = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> faults = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latencies = new ConcurrentHashMap<>();
    private final Map<String, String> firstError = new ConcurrentHashMap<>();
    private final Queue<String> verdicts = new ConcurrentLinkedQueue<>();

    /** A run that ends {@code runNanos} from now, with a stall threshold of {@code stallNanos}. */
    Run(long runNanos, long stallNanos) {
        this.deadline = System.nanoTime() + runNanos;
        this.stallNanos = stallNanos;
    }

    /** A wait longer than this is a stall: reported, and rescued if it was injected. */
    public long stallNanos() {
        return stallNanos;
    }

    /** True until the run's deadline, and while the calling thread is not interrupted. */
    public boolean running() {
        return System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted();
    }

    public void op(String kind) {
        ops.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    public void fault(String kind) {
        faults.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    /** Counts a broken guarantee; the first of each kind is printed at once with its detail. */
    public void error(String kind, String detail) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
        if (firstError.putIfAbsent(kind, detail) == null) {
            System.err.println("ERROR " + kind + ": " + detail);
        }
    }

    /** Records a latency in nanoseconds under {@code kind}. */
    public void latency(String kind, long nanos) {
        latencies.computeIfAbsent(kind, k -> new ConcurrentHistogram(TimeUnit.MINUTES.toNanos(10), 3))
                .recordValue(Math.max(0, Math.min(nanos, TimeUnit.MINUTES.toNanos(10))));
    }

    /** Records a bounded scenario's verdict: its line is kept, and a failed one is an error. */
    void verdict(Scenario.Verdict v) {
        verdicts.add(v.detail());
        if (!v.passed()) {
            error("failed verdict", v.detail());
        }
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** One line for {@code --check}: the verdicts, else the first errors, else the operation totals. */
    String summary() {
        List<String> parts = new ArrayList<>(verdicts);
        firstError.forEach((kind, detail) -> {
            if (!parts.contains(detail)) {
                parts.add(kind + ": " + detail);
            }
        });
        if (parts.isEmpty()) {
            long n = ops.values().stream().mapToLong(LongAdder::sum).sum();
            long f = faults.values().stream().mapToLong(LongAdder::sum).sum();
            parts.add(String.format("%,d operations of %d kinds, %,d faults injected, no error", n, ops.size(), f));
        }
        return String.join("; ", parts);
    }

    /** The soak report: operations, faults and errors per kind, and latency percentiles. */
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
