package dev.raceless.report;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every committed report must say, checked on its freshly redrawn text: no "holds" whose
 * interval crosses the bar, every printed division equal to its result, units that match the
 * mode, a chart for every bar, error bars, log axes where values span decades, and legends that
 * say what each peer guarantees.
 */
class CommittedReportTextTest {

    /** "a 128.20 ns ÷ b 19.02 ns = **6.74×**", "98.54 M ops/s at 4 threads ÷ 105.2 M ops/s at 2 = **0.94×**". */
    static final Pattern DIVISION = Pattern.compile(
            "([0-9][0-9,.]*) (ns|M ops/s)[^÷|]*÷[^0-9|]*([0-9][0-9,.]*) (ns|M ops/s)[^=|]*= \\*\\*([0-9.]+)×\\*\\*");

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> committedReports() throws IOException {
        return CommittedReportsTest.committedReports().stream().flatMap(committed -> {
            String name = committed.getFileName().toString();
            return Stream.of(
                    DynamicTest.dynamicTest(name + ": no bar holds whose interval crosses it", () -> {
                        Path dir = CommittedReportsTest.renderCopy(committed, tmp.resolve("a"));
                        for (Bars.Outcome o : Render.render(dir)) {
                            if (o.status() != Bars.Status.HOLDS) {
                                continue;
                            }
                            Measurement.Interval i = o.interval();
                            assertTrue(i.known(), o.bar().id() + " holds without an interval");
                            double edge = o.atLeast() ? i.lo() : i.hi();
                            assertTrue(o.atLeast() ? edge >= o.bar().threshold() : edge <= o.bar().threshold(),
                                    o.bar().id() + " holds though its interval reaches " + edge);
                        }
                    }),
                    DynamicTest.dynamicTest(name + ": every printed division is the division shown", () -> {
                        String md = CommittedReportsTest.read(
                                CommittedReportsTest.renderCopy(committed, tmp.resolve("b")).resolve("README.md"));
                        Matcher m = DIVISION.matcher(md);
                        int n = 0;
                        while (m.find()) {
                            n++;
                            assertEquals(m.group(2), m.group(4), "a division of unlike units: " + m.group());
                            double a = Double.parseDouble(m.group(1).replace(",", ""));
                            double b = Double.parseDouble(m.group(3).replace(",", ""));
                            double shown = Double.parseDouble(m.group(5));
                            assertEquals(a / b, shown, Math.max(0.006, shown * 0.01), m.group());
                        }
                        assertTrue(n >= 10, "found only " + n + " divisions");
                    }),
                    DynamicTest.dynamicTest(name + ": units, charts, intervals and legends", () -> {
                        Path dir = CommittedReportsTest.renderCopy(committed, tmp.resolve("c"));
                        String md = CommittedReportsTest.read(dir.resolve("README.md"));
                        String charts = CommittedReportsTest.read(dir.resolve(Charts.DESCRIPTION_FILE));
                        assertFalse(md.contains("Time per operation per thread (ops/s"), "ops/s under a time heading");
                        assertFalse(Pattern.compile("(?i)the (issue|seed)s?\\b|rule [0-9]").matcher(md).find(),
                                "the report points outside the repository");
                        // barrierLatency (a time) is never in a throughput table
                        for (String table : md.split("\n\n")) {
                            if (table.contains("M ops/s, all threads |") || table.startsWith("| benchmark | 1 thread")
                                    && table.contains("ops/s")) {
                                assertFalse(table.contains("barrierLatency"), "barrierLatency in a throughput table");
                            }
                        }
                        // every measured bar is on the bars chart, with its interval
                        List<Bars.Outcome> outcomes = Render.render(dir);
                        for (Bars.Outcome o : outcomes) {
                            if (o.status() != Bars.Status.NOT_MEASURED) {
                                assertTrue(charts.contains(" = " + o.bar().id() + ",") || charts.contains(" = "
                                        + o.bar().id() + "\n"), o.bar().id() + " is not on the bars chart");
                            }
                        }
                        // a chart for each class a bar measures
                        for (String cls : List.of("UsePairBenchmark-throughput.png", "ReadSideBenchmark-throughput.png",
                                "SynchronizeBenchmark-latency.png", "SynchronizersBenchmark-throughput.png",
                                "CallAfterGraceBenchmark-throughput.png", "LoaderHotPathBenchmark-throughput.png",
                                "footprint.png", "bars.png")) {
                            assertTrue(md.contains("](" + cls + ")"), "no chart " + cls);
                        }
                        assertTrue(section(charts, "UsePairBenchmark-throughput.png").contains("log scale"),
                                "the use-pair values span decades: log axis");
                        assertTrue(section(charts, "footprint.png").contains("log scale"), "footprint: log axis");
                        String usePair = section(charts, "UsePairBenchmark-throughput.png");
                        for (String peer : List.of("atomicLongIncNotZero: exact zero test yes, refusal after shutdown yes",
                                "longAdderFlag: exact zero test no, refusal after shutdown no",
                                "jctoolsStripedFlag: exact zero test no, refusal after shutdown no",
                                "agronaIncDec: exact zero test no, refusal after shutdown no",
                                "useCount (raceless): exact zero test yes, refusal after shutdown yes")) {
                            assertTrue(usePair.contains(peer), "legend lacks: " + peer);
                        }
                        long points = Pattern.compile(" → ").matcher(usePair).results().count();
                        long intervals = Pattern.compile(" → [^;\n]*\\[[^n]").matcher(usePair).results().count();
                        assertEquals(points, intervals, "a point without an interval on the use-pair chart");
                    }));
        });
    }

    static String section(String charts, String file) {
        int i = charts.indexOf("## " + file);
        assertTrue(i >= 0, "no chart " + file);
        int j = charts.indexOf("\n## ", i + 1);
        return j < 0 ? charts.substring(i) : charts.substring(i, j);
    }
}
