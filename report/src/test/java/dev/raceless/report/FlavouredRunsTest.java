package dev.raceless.report;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Results of the flavoured runs (the read-side benchmarks again on a JDK 22+, forced FENCED and
 * forced ASYMMETRIC) are told apart by the tag in their forks' JVM arguments: their labels name
 * the JDK and the flavour, and their flavour key keeps them out of the default run's ratios
 * (SyntheticReportTest checks the rendered ratios).
 */
class FlavouredRunsTest {

    static String result(String bench, int threads, double ns, List<String> jvmArgs, String jdk) {
        StringBuilder args = new StringBuilder();
        for (String a : jvmArgs) {
            args.append(args.length() == 0 ? "" : ", ").append('"').append(a).append('"');
        }
        return "{\"benchmark\": \"dev.raceless.bench.refcount." + bench + "\", \"mode\": \"avgt\", \"threads\": "
                + threads + ", \"jdkVersion\": \"" + jdk + "\", \"jvmArgs\": [" + args + "], \"params\": {},"
                + " \"primaryMetric\": {\"score\": " + ns + ", \"scoreError\": " + (ns / 100) + ", \"scoreUnit\": "
                + "\"ns/op\", \"scorePercentiles\": {}}, \"secondaryMetrics\": {}}";
    }

    static final List<String> ASYMMETRIC = new Flavours.Flavour("asymmetric", "/jdk25/bin/java", 25).jvmArgs();

    static List<Measurement> run() {
        return Measurement.parseAll("[" + String.join(",",
                result("UsePairBenchmark.useCount", 2, 9.4, List.of("-Xmx1g"), "17.0.15"),
                result("UsePairBenchmark.longAdderFlag", 2, 9.4, List.of(), "17.0.15"),
                result("UsePairBenchmark.useCount", 2, 1.5, ASYMMETRIC, "25.0.1"),
                result("UsePairBenchmark.longAdderFlag", 2, 9.0, ASYMMETRIC, "25.0.1")) + "]");
    }

    @Test
    void aFlavouredResultIsLabelledWithItsJdkAndFlavour() {
        List<Measurement> ms = run();
        assertEquals("useCount", ms.get(0).label());
        assertEquals("", ms.get(0).flavourKey());
        assertEquals("useCount[jdk=25,readside=asymmetric]", ms.get(2).label());
        assertEquals("jdk=25,readside=asymmetric", ms.get(2).flavourKey());
    }

    @Test
    void theTagIsReadFromTheForksArgumentsAndTheJdkFromItsVersion() {
        assertEquals("fenced", Measurement.flavourTag(List.of("-D" + Flavours.TAG_PROPERTY + "=fenced")));
        assertNull(Measurement.flavourTag(List.of("-D" + Flavours.READ_SIDE_PROPERTY + "=fenced")));
        assertEquals("25", Measurement.jdkMajor("25.0.1"));
        assertEquals("8", Measurement.jdkMajor("1.8.0_402"));
        assertTrue(ASYMMETRIC.contains(Flavours.NATIVE_ACCESS));
        assertEquals(new TreeMap<>(Map.of()), new TreeMap<>(run().get(1).params()));
    }
}
