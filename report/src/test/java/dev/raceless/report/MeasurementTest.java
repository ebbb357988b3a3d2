package dev.raceless.report;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading JMH's JSON: a {@code @Group} becomes one row per method, an EVENTS counter one row of its own. */
class MeasurementTest {

    private static String result(String benchmark, String primary, String secondary) {
        return "{\"benchmark\":\"" + benchmark + "\",\"mode\":\"avgt\",\"threads\":2,\"params\":{\"lookups\":\"64\"},"
                + "\"primaryMetric\":" + primary + ",\"secondaryMetrics\":{" + secondary + "}}";
    }

    private static String metric(double score, double error, String unit, String raw) {
        return "{\"score\":" + score + ",\"scoreError\":" + error + ",\"scoreUnit\":\"" + unit + "\",\"rawData\":"
                + raw + "}";
    }

    @Test
    void aGroupIsOneRowPerMethodAndNoRowForItsMeanOfMeans() {
        String json = "[" + result("p.ReadMostly.qsbr", metric(95_000, 500, "ns/op", "[[1]]"),
                "\"gc.alloc.rate.norm\":" + metric(1.3, 0.1, "B/op", "[[1]]") + ","
                        + "\"qsbrRead\":" + metric(42.5, 0.5, "ns/op", "[[1]]") + ","
                        + "\"qsbrUpdate\":" + metric(192_000, 900, "ns/op", "[[1]]")) + "]";
        List<Measurement> ms = Measurement.parseAll(json);
        assertEquals(List.of("p.ReadMostly.qsbrRead", "p.ReadMostly.qsbrUpdate"),
                ms.stream().map(Measurement::benchmark).sorted().collect(Collectors.toList()));
        Measurement read = ms.stream().filter(m -> m.method().equals("qsbrRead")).findFirst().orElseThrow();
        assertEquals(42.5, read.score());
        assertEquals(0.5, read.error());
        assertEquals("qsbrRead[lookups=64]", read.label());
        assertNull(read.bytesPerOp(), "the group's bytes are over all its methods' operations");
    }

    @Test
    void aPlainResultKeepsItsPrimaryScoreAndBytes() {
        String json = "[" + result("p.UsePair.useCount", metric(6.9, 0.4, "ns/op", "[[1]]"),
                "\"gc.alloc.rate.norm\":" + metric(0.0, 0.0, "B/op", "[[1]]")) + "]";
        List<Measurement> ms = Measurement.parseAll(json);
        assertEquals(1, ms.size());
        assertEquals(6.9, ms.get(0).score());
        assertEquals(0.0, ms.get(0).bytesPerOp());
    }

    @Test
    void anEventsCounterIsItsMeanPerIterationWithAStudentTInterval() {
        // JMH sums EVENTS counters over iterations (score 4.0 here); the row is the mean of the raw values.
        String json = "[" + result("p.Paired.pair", metric(1500, 20, "ns/op", "[[1]]"),
                "\"ratio\":" + metric(4.0, Double.NaN, "#", "[[0.98,1.02],[0.99,1.01]]")) + "]";
        List<Measurement> ms = Measurement.parseAll(json.replace("NaN", "\"NaN\""));
        Measurement ratio = ms.stream().filter(Measurement::isCounter).findFirst().orElseThrow();
        assertEquals("pair:ratio", ratio.method());
        assertEquals(1.0, ratio.score(), 1e-12);
        // sd of {0.98, 1.02, 0.99, 1.01} = 0.018257; t(0.9995, 3) = 12.924
        assertEquals(12.924 * 0.018257 / 2, ratio.error(), 1e-3);
        assertTrue(ms.stream().anyMatch(m -> m.method().equals("pair") && m.score() == 1500));
    }
}
