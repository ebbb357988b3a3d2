package dev.raceless.internal;

import dev.raceless.refcount.ReadSide;
import dev.raceless.refcount.UseCount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The memory layout of {@link Stripes}: every stripe's cells sit at least 128 bytes (two cache
 * lines, {@link Stripes#PAD} longs) from any other stripe's cells and from the ends of the array,
 * and a default {@link UseCount} stays small (JOL).
 *
 * <p>The cells a stripe uses are found by watching the cell array (read reflectively) while threads
 * that map to each stripe call {@code up()} and {@code down()}: the test relies on the padding
 * contract, not on the index arithmetic inside {@code Stripes}.
 */
class StripesLayoutTest {
    private static final int PAD_BYTES = 128;

    private static long[] cellsOf(Stripes s) throws ReflectiveOperationException {
        Field f = Stripes.class.getDeclaredField("cells");
        f.setAccessible(true);
        return (long[]) f.get(s);
    }

    /**
     * Maps each stripe to the array indices its threads write, by running {@code up(); down()} on
     * fresh threads until every stripe has been hit.
     */
    private static TreeMap<Integer, List<Integer>> cellsByStripe(Stripes s) throws Exception {
        long[] cells = cellsOf(s);
        TreeMap<Integer, List<Integer>> byStripe = new TreeMap<>();
        for (int made = 0; byStripe.size() < s.stripes(); made++) {
            assertTrue(made < 64 * s.stripes(), "threads did not reach every stripe: " + byStripe);
            long[] before = cells.clone();
            Thread t = new Thread(() -> {
                s.up();
                s.down();
            });
            t.start();
            t.join();
            List<Integer> touched = new ArrayList<>();
            for (int i = 0; i < cells.length; i++) {
                if (cells[i] != before[i]) {
                    touched.add(i);
                }
            }
            assertEquals(2, touched.size(), "one up and one down should touch two cells: " + touched);
            byStripe.putIfAbsent(touched.get(0), touched); // keyed by the first cell: one key per stripe
        }
        return byStripe;
    }

    @Test
    void padIsOneHundredTwentyEightBytesOfLongs() {
        assertEquals(PAD_BYTES, Stripes.PAD * Long.BYTES);
    }

    @Test
    void longArrayElementsAreEightBytesApart() {
        // The byte distances below are index distances times this scale.
        assertEquals(Long.BYTES, VM.current().arrayIndexScale("long"));
    }

    /**
     * Start to start, because the array may sit at any 8-byte alignment: two 8-byte cells whose
     * starts are {@code d < 128} bytes apart share some 128-byte aligned block (an adjacent-line
     * pair) for some placement of the array; at {@code d >= 128} they never do.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8, 16})
    void cellsOfDifferentStripesAreAtLeast128BytesApart(int stripes) throws Exception {
        List<List<Integer>> all = new ArrayList<>(cellsByStripe(new Stripes(stripes)).values());
        assertEquals(stripes, all.size());
        for (int a = 0; a < all.size(); a++) {
            for (int b = a + 1; b < all.size(); b++) {
                for (int i : all.get(a)) {
                    for (int j : all.get(b)) {
                        long bytes = (long) Math.abs(i - j) * Long.BYTES;
                        assertTrue(bytes >= PAD_BYTES, "cells " + i + " and " + j + " are " + bytes + " bytes apart");
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8, 16})
    void firstStripeIsAtLeast128BytesFromTheStartOfTheArray(int stripes) throws Exception {
        int first = cellsByStripe(new Stripes(stripes)).firstKey();
        assertTrue((long) first * Long.BYTES >= PAD_BYTES, "first cell at index " + first);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8, 16})
    void lastStripeIsAtLeast128BytesFromTheEndOfTheArray(int stripes) throws Exception {
        Stripes s = new Stripes(stripes);
        int last = cellsByStripe(s).values().stream().flatMap(List::stream).max(Integer::compare).orElseThrow();
        long after = (long) (cellsOf(s).length - 1 - last) * Long.BYTES; // bytes after the last cell's own 8
        assertTrue(after + Long.BYTES >= PAD_BYTES, "last cell at index " + last + " of " + cellsOf(s).length);
    }

    @Test
    void defaultStripesIsTwiceTheCpuCountRoundedUpToAPowerOfTwoAtMost64() {
        int cpus = Runtime.getRuntime().availableProcessors();
        int expected = Math.min(64, Math.max(2, Integer.highestOneBit(2 * cpus - 1) << 1));
        assertEquals(expected, Stripes.defaultStripes());
        assertEquals(1, Integer.bitCount(Stripes.defaultStripes()));
    }

    @Test
    void cellBytesIsAnUpperBoundOfTheCellArraySize() throws Exception {
        Stripes s = new Stripes(4);
        assertTrue(VM.current().sizeOf(cellsOf(s)) <= s.cellBytes());
    }

    /**
     * FENCED: 1 KiB. ASYMMETRIC adds the slot table (its object and an array of at least 8
     * entries: at most 128 bytes with 4 stripes) before any thread has used the count; each thread
     * that uses it then adds one Slot (docs/read-side.md, Footprint).
     */
    private static long bound() {
        return ReadSide.active() == ReadSide.ASYMMETRIC ? 1024 + 128 : 1024;
    }

    @Test
    void fourStripeUseCountTakesAtMostOneKibibytePlusItsSlotTable() {
        long bytes = GraphLayout.parseInstance(new UseCount(4)).totalSize();
        assertTrue(bytes <= bound(), "UseCount(4) footprint " + bytes + " bytes, " + ReadSide.active());
    }

    @Test
    void defaultUseCountTakesAtMostOneKibibytePlusItsSlotTableOnSmallMachines() {
        assumeTrue(Stripes.defaultStripes() <= 4, "more than 4 default stripes on this machine");
        long bytes = GraphLayout.parseInstance(new UseCount()).totalSize();
        assertTrue(bytes <= bound(), "default UseCount footprint " + bytes + " bytes, " + ReadSide.active() + ":\n"
                + GraphLayout.parseInstance(new UseCount()).toFootprint());
    }
}
