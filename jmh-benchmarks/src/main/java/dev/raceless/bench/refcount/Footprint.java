package dev.raceless.bench.refcount;

import dev.raceless.refcount.UseCount;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersReader;
import org.jctools.counters.CountersFactory;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.GraphLayout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many heap bytes does one counter cost, for {@link UseCount} and its peers? A plain main, not a
 * JMH benchmark: it measures each object graph with JOL ({@code GraphLayout.totalSize()}: the object
 * and everything reachable from it) and prints a Markdown table.
 *
 * <p>What is counted:
 * <ul>
 * <li>UseCount: the object, its stripe array and its termination future (everything it owns).</li>
 * <li>LongAdder: measured after {@value #INFLATE_THREADS} threads have hammered it for
 *     {@value #INFLATE_MILLIS} ms, so that contention has grown its cell table (cells are
 *     {@code @Contended}, so each is padded). An uncontended LongAdder is the first row.</li>
 * <li>JCTools FixedSizeStripedLongCounter(16): the padded object and its {@code long[]}.</li>
 * <li>Agrona AtomicCounter in a CountersManager: the AtomicCounter object itself (shallow) plus its
 *     share of the two shared buffers: one 128-byte value slot and one 512-byte metadata record
 *     (type id, key, label). The buffers themselves and the CountersManager are shared by all
 *     counters and are not counted; in the benchmark they are off-heap, but the bytes are spent
 *     all the same.</li>
 * <li>Agrona AtomicCounter standalone: the simplest constructor on a private 128-byte heap buffer
 *     (no metadata): the object, its UnsafeBuffer and the byte[].</li>
 * </ul>
 *
 * <p>The footprint bar: UseCount at the default stripe count takes at most 1 KiB. The default
 * depends on the CPU count (twice the CPUs, rounded up to a power of two, at most 64: 4 stripes on 2
 * CPUs, 8 on 3-4, 16 on 5-8), so the table says which default it measured and lists the other
 * stripe counts too.
 */
public final class Footprint {

    static final int INFLATE_THREADS = 4;
    static final int INFLATE_MILLIS = 300;
    static final long ONE_KIB = 1024;

    private Footprint() {
    }

    record Row(String counter, String counted, long bytes) {
    }

    public static void main(String[] args) throws InterruptedException {
        List<Row> rows = new ArrayList<>();

        UseCount byDefault = new UseCount();
        rows.add(new Row("UseCount() default = " + byDefault.stripes() + " stripes",
                "object + stripe array + termination future", total(byDefault)));
        for (int stripes : new int[] {1, 2, 4, 8, 16, 64}) {
            rows.add(new Row("UseCount(" + stripes + ")", "object + stripe array + termination future",
                    total(new UseCount(stripes))));
        }
        rows.add(new Row("AtomicLong", "object", total(new AtomicLong(1))));
        rows.add(new Row("LongAdder, uncontended", "object (no cells yet)", total(new LongAdder())));
        LongAdder inflated = inflate();
        rows.add(new Row("LongAdder after contention", "object + cell table + @Contended cells ("
                + INFLATE_THREADS + " threads, " + INFLATE_MILLIS + " ms)", total(inflated)));
        rows.add(new Row("JCTools FixedSizeStripedLongCounter(16)", "padded object + long[]",
                total(CountersFactory.createFixedSizeStripedCounter(16))));

        AtomicCounter standalone = new AtomicCounter(
                new UnsafeBuffer(new byte[CountersReader.COUNTER_LENGTH]), 0);
        long shallow = ClassLayout.parseInstance(standalone).instanceSize();
        rows.add(new Row("Agrona AtomicCounter in a CountersManager",
                "object (" + shallow + ") + value slot (" + CountersReader.COUNTER_LENGTH
                        + ") + metadata record (" + CountersReader.METADATA_LENGTH + ")",
                shallow + CountersReader.COUNTER_LENGTH + CountersReader.METADATA_LENGTH));
        rows.add(new Row("Agrona AtomicCounter standalone", "object + UnsafeBuffer + byte[128], no metadata",
                total(standalone)));

        System.out.println(markdown(rows, byDefault));
    }

    private static long total(Object o) {
        return GraphLayout.parseInstance(o).totalSize();
    }

    /** Grows a LongAdder's cells the only way there is: CAS failures under contention. */
    private static LongAdder inflate() throws InterruptedException {
        LongAdder adder = new LongAdder();
        CountDownLatch start = new CountDownLatch(1);
        long deadline = System.nanoTime() + INFLATE_MILLIS * 1_000_000L;
        Thread[] threads = new Thread[INFLATE_THREADS];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                while (System.nanoTime() < deadline) {
                    for (int k = 0; k < 1000; k++) {
                        adder.increment();
                        adder.decrement();
                    }
                }
            });
            threads[i].start();
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        return adder;
    }

    private static String markdown(List<Row> rows, UseCount byDefault) {
        StringBuilder sb = new StringBuilder();
        sb.append("Heap bytes per counter (JOL GraphLayout.totalSize), ")
                .append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.version")).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPUs\n\n");
        sb.append("| counter | what is counted | bytes | <= 1 KiB |\n");
        sb.append("|---|---|---:|---|\n");
        for (Row r : rows) {
            sb.append("| ").append(r.counter()).append(" | ").append(r.counted()).append(" | ")
                    .append(r.bytes()).append(" | ").append(r.bytes() <= ONE_KIB ? "yes" : "no").append(" |\n");
        }
        long d = total(byDefault);
        sb.append("\nBar: UseCount at the default stripe count (").append(byDefault.stripes())
                .append(" here) <= 1024 bytes: ").append(d).append(" bytes, ")
                .append(d <= ONE_KIB ? "met" : "MISSED").append(".\n");
        return sb.toString();
    }

    /*
     * How to run (from the top of the repository):
     *
     *   mvn -B -q -pl jmh-benchmarks package
     *   java -cp jmh-benchmarks/target/benchmarks.jar dev.raceless.bench.refcount.Footprint
     *
     * Sizes depend on the JVM's object layout (compressed oops and class pointers, object alignment)
     * and, for UseCount(), on the CPU count; the table header says which JVM and CPU count it saw.
     */
}
