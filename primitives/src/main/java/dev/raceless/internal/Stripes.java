package dev.raceless.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A fixed set of padded counter cells inside one {@code long[]}: each stripe owns two monotonic
 * totals ("ups" and "downs") on a cache-line pair of its own, and a thread always maps to the same
 * stripe. This is the layout of JCTools' {@code FixedSizeStripedLongCounter}, with two totals per
 * stripe so that a sum can be taken in the Piggin-safe order (all downs, then all ups).
 *
 * <p>Used by {@code UseCount} (ups = acquires, downs = releases) and {@code GraceDomain} (one
 * {@code Stripes} per epoch index: ups = section entries, downs = section exits).
 */
public final class Stripes {
    /*
     * Implementation notes.
     *
     * Layout (indices into cells, longs of 8 bytes; STRIDE = PAD + 2):
     *
     *   [0 .. PAD)                    leading padding: keeps the array header and whatever the
     *                                 allocator put before the array off stripe 0's line pair
     *   [PAD + STRIDE*i + UP]         stripe i, total of ups   (only ever incremented)
     *   [PAD + STRIDE*i + DOWN]       stripe i, total of downs (only ever incremented)
     *   [PAD + STRIDE*i + 2, +STRIDE) padding: PAD longs before the next stripe's first cell
     *   [PAD + STRIDE*n .. +PAD)      trailing padding after the last stripe
     *
     * PAD is 16 longs = 128 bytes: two 64-byte lines, because the adjacent-line prefetcher on x86
     * pulls lines in 128-byte aligned pairs. A long[] is only 8-byte aligned, so any two cells of
     * different stripes must be at least 128 bytes apart, not merely in different 128-byte slots:
     * hence a stride of PAD + 2, not PAD (StripesLayoutTest). The two totals of a stripe share a
     * line on purpose: a thread that takes and drops a use touches one line.
     *
     * Why two monotonic totals and not one net count per stripe: a use taken on stripe A and
     * dropped on stripe B makes A's net count +1 and B's -1. A scan that reads A before the take and
     * B after the drop sums to one less than the truth, and can read zero while another use is
     * held (Nick Piggin's module refcount bug). With monotonic totals, sumDowns() read completely
     * before sumUps() cannot miss the take of any drop it saw: the take happens-before the drop,
     * the drop's xadd is seen by the downs pass, so the take is visible to the later ups pass.
     * So the difference is never smaller than the truth: never a false zero, only a count that
     * may be too large. The broken net-count variant lives in the stress tests and is caught
     * there (see stress-tests: HandOffAcrossStripesStress).
     *
     * Stripe choice: the current thread's id masked to the stripe count. Ids are handed out
     * sequentially, so any n consecutively started threads land on n distinct stripes; no
     * rehashing (a fixed probe, as in JCTools). A virtual thread keeps its id when it moves between
     * carriers, and correctness never depends on the mapping anyway: any stripe may take any up or
     * down.
     *
     * Overflow: a total grows by one per operation; at 10^9 operations a second it takes 292
     * years to wrap a long.
     */

    /** Longs of padding between stripes: 128 bytes, two cache lines (adjacent-line prefetch). */
    public static final int PAD = 16;
    /** Longs from one stripe's first cell to the next one's: its two totals, then PAD. */
    private static final int STRIDE = PAD + 2;
    private static final int UP = 0;
    private static final int DOWN = 1;
    /** Upper bound for the default stripe count. */
    private static final int MAX_DEFAULT_STRIPES = 64;
    /** Upper bound for any stripe count: the largest power of two whose array fits an int index. */
    private static final int MAX_STRIPES = Integer.highestOneBit((Integer.MAX_VALUE - 2 * PAD) / STRIDE);

    private final long[] cells;
    private final int mask;

    /**
     * @param stripes a power of two, at least 1
     * @throws IllegalArgumentException if {@code stripes} is not a positive power of two
     */
    public Stripes(int stripes) {
        if (stripes < 1 || Integer.bitCount(stripes) != 1 || stripes > MAX_STRIPES) {
            throw new IllegalArgumentException(
                    "stripes must be a power of two between 1 and " + MAX_STRIPES + ", was " + stripes);
        }
        this.cells = new long[2 * PAD + STRIDE * stripes];
        this.mask = stripes - 1;
    }

    /** The default stripe count: twice the CPU count rounded up to a power of two, at most 64. */
    public static int defaultStripes() {
        int cpus = Runtime.getRuntime().availableProcessors();
        int n = Integer.highestOneBit(Math.max(1, cpus) * 2 - 1) << 1;
        return Math.min(MAX_DEFAULT_STRIPES, Math.max(2, n));
    }

    /** The number of stripes. */
    public int stripes() {
        return mask + 1;
    }

    /** Index of the current thread's "up" cell. Tiny, so it inlines into every fast path. */
    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+, and this is release 17
    private int upIndex() {
        return PAD + ((int) Thread.currentThread().getId() & mask) * STRIDE;
    }

    /** Adds one to the current thread's up total; a full fence (see package-info: xadd). */
    public void up() {
        up(upIndex());
    }

    /** Adds one to the current thread's down total; a full fence (see package-info: xadd). */
    public void down() {
        down(upIndex());
    }

    /**
     * The calling thread's cell, for a caller that keeps it and counts with {@link #up(int)} and
     * {@link #down(int)} (any thread may use any cell: the adds are atomic and the sums add every
     * cell; the mapping only spreads threads over the cells).
     *
     * @return the cell of the calling thread
     */
    public int cellOfCurrentThread() {
        return upIndex();
    }

    /**
     * Adds one to the up total of {@code cell}; a full fence (xadd).
     *
     * @param cell from {@link #cellOfCurrentThread()}
     */
    public void up(int cell) {
        CELLS.getAndAdd(cells, cell + UP, 1L);
    }

    /**
     * Adds one to the down total of {@code cell}; a full fence (xadd).
     *
     * @param cell from {@link #cellOfCurrentThread()}
     */
    public void down(int cell) {
        CELLS.getAndAdd(cells, cell + DOWN, 1L);
    }

    /** Volatile sum of all down totals. Read it before {@link #sumUps()} (see the notes). */
    public long sumDowns() {
        return sum(DOWN);
    }

    /** Volatile sum of all up totals. */
    public long sumUps() {
        return sum(UP);
    }

    /**
     * {@code sumUps() - sumDowns()}, taken in the safe order: every down counted has its up
     * counted too, so the result is never smaller than the number of ups not yet matched by a down
     * at the moment the downs pass ended. Not a snapshot: it may be too large, never too small.
     */
    public long pending() {
        long downs = sumDowns(); // volatile reads; must all precede the ups pass (Piggin)
        return sumUps() - downs;
    }

    private long sum(int which) {
        long[] c = cells;
        long s = 0;
        for (int i = PAD + which; i < c.length - PAD; i += STRIDE) {
            s += (long) CELLS.getVolatile(c, i); // pairs with the xadd in up()/down()
        }
        return s;
    }

    /** Bytes the cell array takes on a 64-bit JVM with compressed headers off or on (upper bound). */
    public long cellBytes() {
        return 16L + 8L * cells.length;
    }

    // VarHandle mechanics
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
}
