package dev.raceless.internal;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The heavy barrier is the system call that fences other CPUs, not a delay: each
 * membarrier(PRIVATE_EXPEDITED) makes the kernel interrupt every other CPU that runs a thread of
 * this process (Linux counts them as "Function call interrupts", CAL in /proc/interrupts), and
 * membarrier(QUERY), a call that fences nothing, does not. jcstress cannot tell the two apart
 * (AsymmetricDekkerDelayControl); this test can. Runs where membarrier is available (JDK 22+ with
 * native access on Linux x86); skipped elsewhere.
 */
class MembarrierInterruptsTest {
    private static final Path INTERRUPTS = Path.of("/proc/interrupts");
    /** Spinner iterations, during the barrier chunks, after which enough barriers met it running. */
    private static final long CO_RUN = 2_000_000;

    private volatile boolean stop;
    private volatile long spins;

    @Test
    void theHeavyBarrierInterruptsTheOtherCpusAndQueryDoesNot() throws Exception {
        assumeTrue(Membarrier.AVAILABLE, Membarrier.REASON);
        assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "one CPU: nothing to interrupt");
        assumeTrue(functionCalls() >= 0, "no CAL line in /proc/interrupts");
        Thread spinner = new Thread(() -> { // a thread of this process, running on another CPU at times
            while (!stop) {
                spins++; // single writer: progress shows the spinner was on a CPU
            }
        });
        spinner.setDaemon(true);
        spinner.start();
        long barrier = 0;
        long query = 0;
        long coRun = 0;
        try {
            // Chunks of 1 ms, alternating, so both kinds meet the same scheduling of the spinner
            // (the machine may be shared: the spinner is not always on a CPU).
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (coRun < CO_RUN && System.nanoTime() < deadline) {
                long s0 = spins;
                long c0 = functionCalls();
                for (long end = System.nanoTime() + 1_000_000; System.nanoTime() < end; ) {
                    Membarrier.heavyBarrier();
                }
                barrier += functionCalls() - c0;
                coRun += spins - s0;
                c0 = functionCalls();
                for (long end = System.nanoTime() + 1_000_000; System.nanoTime() < end; ) {
                    Membarrier.query();
                }
                query += functionCalls() - c0;
            }
        } finally {
            stop = true;
            spinner.join();
        }
        assumeTrue(coRun >= CO_RUN, "the spinner hardly ran beside the barriers: " + coRun + " iterations");
        assertTrue(barrier >= 50 && barrier >= 5 * (query + 1), "heavy barriers raised " + barrier
                + " function-call interrupts, QUERY calls of the same duration " + query
                + " (spinner iterations beside the barriers: " + coRun + ")");
    }

    /** Function-call interrupts summed over all CPUs, or -1 if the kernel does not list them. */
    private static long functionCalls() throws IOException {
        if (!Files.isReadable(INTERRUPTS)) {
            return -1;
        }
        List<String> lines = Files.readAllLines(INTERRUPTS);
        for (String l : lines) {
            String t = l.trim();
            if (t.startsWith("CAL:")) {
                long sum = 0;
                for (String f : t.substring(4).trim().split("\\s+")) {
                    if (!f.chars().allMatch(Character::isDigit)) {
                        break;
                    }
                    sum += Long.parseLong(f);
                }
                return sum;
            }
        }
        return -1;
    }
}
