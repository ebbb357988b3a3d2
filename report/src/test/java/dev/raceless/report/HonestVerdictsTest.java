package dev.raceless.report;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The verdict rules on hand-made results: a bar holds only at the edge of its interval, a
 * crossing interval reads "inconclusive (noise)" with the interval, and every printed division is
 * the division of the two figures printed.
 */
class HonestVerdictsTest {

    static Measurement thrpt(String bench, int threads, double opsPerSecond, double error) {
        return new Measurement("dev.raceless.bench.grace." + bench, Map.of(), "thrpt", threads, opsPerSecond, error,
                "ops/s", Map.of(), 0.0, 0.0, List.of());
    }

    static Measurement avgt(String bench, int threads, double ns, double error) {
        return new Measurement("dev.raceless.bench.refcount." + bench, Map.of(), "avgt", threads, ns, error,
                "ns/op", Map.of(), 0.0, 0.0, List.<TreeMap<Double, Long>>of());
    }

    static Bars.Bar bar(String id) {
        return Bars.ALL.stream().filter(b -> b.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aThroughputWhoseIntervalCrossesTheBarIsInconclusiveNotHolds() {
        // 11.08 M ± 80.8 M ops/s against a bar of 5 M ops/s: the mean is over the bar, the interval is not
        Bars.Outcome o = Bars.check(bar("G10"),
                List.of(thrpt("CallAfterGraceBenchmark.callAfterGrace", 2, 11.08e6, 80.8e6)), List.of());
        assertEquals(Bars.Status.INCONCLUSIVE, o.status());
        assertEquals("inconclusive (noise)", o.verdict());
        assertTrue(o.measured().contains("99.9% CI 0.000 M ops/s–91.88 M ops/s"), o.measured());
    }

    @Test
    void aThroughputWhoseWholeIntervalMeetsTheBarHolds() {
        Bars.Outcome o = Bars.check(bar("G10"),
                List.of(thrpt("CallAfterGraceBenchmark.callAfterGrace", 2, 11.08e6, 1e6)), List.of());
        assertEquals(Bars.Status.HOLDS, o.status());
    }

    @Test
    void aThroughputWhoseWholeIntervalIsUnderTheBarIsMissed() {
        Bars.Outcome o = Bars.check(bar("G10"),
                List.of(thrpt("CallAfterGraceBenchmark.callAfterGrace", 2, 3e6, 1e6)), List.of());
        assertEquals(Bars.Status.MISSED, o.status());
    }

    @Test
    void withoutAnIntervalNothingHolds() {
        Bars.Outcome o = Bars.check(bar("G10"),
                List.of(thrpt("CallAfterGraceBenchmark.callAfterGrace", 2, 50e6, Double.NaN)), List.of());
        assertEquals(Bars.Status.INCONCLUSIVE, o.status());
    }

    @Test
    void aRatioAcrossThreadCountsPrintsTheThroughputsItDivides() {
        // one synchronizer at 362.15 ns per call on 1 thread, two at 378.03 ns each on 2 threads:
        // the aggregate ratio is 2 × 362.15 / 378.03 = 1.92, and that is the division printed
        List<Measurement> rs = List.of(
                thrpt("SynchronizersBenchmark.oneSynchronizer", 1, 1e9 / 362.15, 1e3),
                thrpt("SynchronizersBenchmark.twoSynchronizers", 2, 2e9 / 378.03, 1e3));
        Bars.Outcome o = Bars.check(bar("G9"), rs, List.of());
        assertTrue(o.measured().startsWith("twoSynchronizers 5.29 M ops/s (2 threads) ÷ oneSynchronizer 2.76 M ops/s "
                + "(1 thread) = **1.92×**"), o.measured());
        assertFalse(o.measured().contains(" ns"), "no per-thread times beside an aggregate ratio: " + o.measured());
        assertEquals(Bars.Status.HOLDS, o.status());
    }

    @Test
    void aRatioHoldsOnlyWhenTheQuotientOfTheIntervalsMeetsTheBar() {
        // 6.7× on the means, but useCount's interval reaches 3 times its mean
        List<Measurement> rs = List.of(avgt("UsePairBenchmark.useCount", 2, 19.0, 40.0),
                avgt("UsePairBenchmark.atomicLongIncNotZero", 2, 128.2, 5.0));
        Bars.Outcome o = Bars.check(bar("U2"), rs, List.of());
        assertEquals(Bars.Status.INCONCLUSIVE, o.status());
        assertTrue(o.measured().contains("(99.9% CI 2.09×–∞)"), o.measured());
    }

    @Test
    void aMedianIsJudgedOnItsRangeOverIterations() {
        TreeMap<Double, Long> fast = new TreeMap<>(Map.of(0.5, 10L));
        TreeMap<Double, Long> slow = new TreeMap<>(Map.of(1.5, 10L));
        Measurement m = new Measurement("dev.raceless.bench.grace.SynchronizeBenchmark.noReaders", Map.of(), "sample", 1,
                1.0, 0.01, "us/op", Map.of("50.0", 0.5), 0.0, 0.0, List.of(fast, slow));
        Bars.Outcome o = Bars.check(bar("G7"), List.of(m), List.of());
        assertEquals(Bars.Status.INCONCLUSIVE, o.status(), o.measured());
        assertTrue(o.measured().contains("iteration medians 500 ns–1.5 µs"), o.measured());
    }
}
