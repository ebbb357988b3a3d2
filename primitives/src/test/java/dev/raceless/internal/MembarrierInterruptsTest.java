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
    /** Pairs of chunks to compare, counted only where the spinner ran beside the barriers. */
    private static final int PAIRS = 200;

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
        int more = 0; // pairs whose barrier chunk saw more interrupts than its QUERY chunk
        int fewer = 0; // and the other way round; ties are not counted
        int coRanPairs = 0;
        try {
            for (int i = 0; i < 1_000; i++) { // warm both calls up
                Membarrier.heavyBarrier();
                Membarrier.query();
            }
            // Pairs of 200 µs chunks, a barrier chunk then a QUERY chunk: both meet the same
            // background interrupts (other processes, other JVMs' own membarrier calls, this JVM's
            // compiler), which come in bursts. A pair counts only if the spinner ran during its
            // barrier chunk (the machine may be shared). A sign test over the pairs: bursts land on
            // either side alike, the barriers' interrupts on one side only.
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (more + fewer < PAIRS && System.nanoTime() < deadline) {
                long s0 = spins;
                long c0 = functionCalls();
                for (long end = System.nanoTime() + 200_000; System.nanoTime() < end; ) {
                    Membarrier.heavyBarrier();
                }
                long b = functionCalls() - c0;
                boolean coRan = spins - s0 > 1_000;
                c0 = functionCalls();
                for (long end = System.nanoTime() + 200_000; System.nanoTime() < end; ) {
                    Membarrier.query();
                }
                long q = functionCalls() - c0;
                coRanPairs += coRan ? 1 : 0;
                if (coRan && b > q) {
                    more++;
                } else if (coRan && q > b) {
                    fewer++;
                }
            }
        } finally {
            stop = true;
            spinner.join();
        }
        System.out.println("MembarrierInterruptsTest: of the chunk pairs with the spinner running, " + more
                + " had more function-call interrupts during heavy barriers, " + fewer + " during QUERY calls");
        assumeTrue(more + fewer >= 20 || coRanPairs >= 50, "the spinner hardly ran beside the barriers: "
                + coRanPairs + " chunk pairs");
        assertTrue(more >= 20 && more >= 4 * fewer, "of the chunk pairs with the spinner running, " + more
                + " had more function-call interrupts during heavy barriers than during QUERY calls of the "
                + "same duration, " + fewer + " fewer: the heavy barrier does not interrupt the other CPUs");
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
