package dev.raceless.report;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report's format and arithmetic, on a small synthetic JMH result ({@code src/test/resources/
 * synthetic}: hand-made scores with round numbers, no machine measured them). The golden test
 * compares the text the generator writes with {@code synthetic/expected}; the other tests check
 * what the text must say whatever its layout: ratios equal to the division of the scores printed,
 * intervals of the quotient, the peers' correctness, no ratio across flavoured runs, no grading.
 *
 * <p>After an intended change of the format, rewrite the expected files and review their diff:
 * {@code ./mvnw -B -o -q -pl report test -Draceless.report.regolden=true}.
 */
class SyntheticReportTest {

    static final Path FIXTURE = Paths.get("src/test/resources/synthetic");
    static final List<String> GOLDEN_FILES = List.of("README.md", Charts.DESCRIPTION_FILE);

    @TempDir
    static Path tmp;
    static Path dir;
    static String md;

    @BeforeAll
    static void render() throws IOException {
        System.setProperty("java.awt.headless", "true");
        dir = tmp.resolve("synthetic");
        Files.createDirectories(dir);
        for (String f : List.of(Render.RESULT_JSON, Render.RUN_PROPERTIES, Render.FOOTPRINT_MD)) {
            Files.copy(FIXTURE.resolve(f), dir.resolve(f));
        }
        Render.render(dir);
        md = read(dir.resolve("README.md"));
    }

    @Test
    void theTextEqualsTheExpectedText() throws IOException {
        Path expected = FIXTURE.resolve("expected");
        for (String f : GOLDEN_FILES) {
            if (Boolean.getBoolean("raceless.report.regolden")) {
                Files.createDirectories(expected);
                Files.copy(dir.resolve(f), expected.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
            assertEquals(read(expected.resolve(f)), read(dir.resolve(f)), f + " differs from " + expected.resolve(f)
                    + ": if the change is intended, rerun with -Draceless.report.regolden=true and review the diff");
        }
    }

    @Test
    void aRatioIsTheQuotientOfTheTwoTimesWithTheIntervalOfTheQuotient() {
        // useCount 5.0 ± 0.5 ns, longAdderFlag 10.0 ± 1.0 ns at 1 thread: 0.50, from 4.5/11 to 5.5/9;
        // at 2 threads 6.0 ± 0.6 over 12.0 ± 1.2: the same quotient and interval
        assertTrue(md.contains("| useCount ÷ longAdderFlag | " + correctness("longAdderFlag")
                + " | 0.50× (0.41–0.61) | 0.50× (0.41–0.61) |"), md);
        // 5.0 ± 0.5 over 4.0 ± 0.4: 1.25, from 4.5/4.4 to 5.5/3.6; 6.0 ± 0.6 over 40 ± 4: 0.15, 5.4/44 to 6.6/36
        assertTrue(md.contains("| useCount ÷ agronaIncDec | " + correctness("agronaIncDec")
                + " | 1.25× (1.02–1.53) | 0.15× (0.12–0.18) |"), md);
    }

    @Test
    void everyRatioPrintedIsTheDivisionOfTheScoresPrinted() {
        // | label | correct | score at 1 thread ± half-width | score at 2 threads ± half-width, or empty |
        Pattern row = Pattern.compile(
                "^\\| (\\S+) \\| [^|]+ \\| ([0-9.]+) ± [0-9.]+ \\| (?:([0-9.]+) ± [0-9.]+)? \\|$", Pattern.MULTILINE);
        Matcher m = row.matcher(md);
        Map<String, double[]> scores = new HashMap<>();
        while (m.find()) {
            scores.put(m.group(1), new double[] {Double.parseDouble(m.group(2)),
                    m.group(3) == null ? Double.NaN : Double.parseDouble(m.group(3))});
        }
        assertTrue(scores.size() >= 5, "time table rows: " + scores.keySet());
        Matcher r = Pattern.compile("^\\| (\\S+) ÷ (\\S+) \\| [^|]+ \\| ([0-9.]+)× [^|]*\\| ([0-9.]*)×?[^|]*\\|$",
                Pattern.MULTILINE).matcher(md);
        int n = 0;
        while (r.find()) {
            double[] a = scores.get(r.group(1));
            double[] b = scores.get(r.group(2));
            assertNotNull(a, r.group());
            assertNotNull(b, r.group());
            assertEquals(a[0] / b[0], Double.parseDouble(r.group(3)), 0.006, r.group());
            if (!r.group(4).isEmpty()) {
                assertEquals(a[1] / b[1], Double.parseDouble(r.group(4)), 0.006, r.group());
            }
            n++;
        }
        assertTrue(n >= 2, "ratio rows found: " + n);
    }

    @Test
    void theGlanceTableShowsBothTimesAndTheirQuotient() {
        assertTrue(md.contains("| UsePairBenchmark | useCount ÷ longAdderFlag | " + correctness("longAdderFlag")
                + " | 5.00 ÷ 10.00 ns = 0.50× (0.41–0.61) | 6.00 ÷ 12.00 ns = 0.50× (0.41–0.61) |"), md);
        Matcher m = Pattern.compile("([0-9][0-9,.]*) ÷ ([0-9][0-9,.]*) ns = ([0-9.]+)×").matcher(md);
        int n = 0;
        while (m.find()) {
            double a = Double.parseDouble(m.group(1).replace(",", ""));
            double b = Double.parseDouble(m.group(2).replace(",", ""));
            assertEquals(a / b, Double.parseDouble(m.group(3)), 0.006, m.group());
            n++;
        }
        assertTrue(n >= 5, "glance cells found: " + n);
    }

    @Test
    void everyPeerShowsWhetherItIsCorrect() {
        for (String peer : List.of("longAdderFlag", "agronaIncDec")) {
            assertTrue(Pattern.compile("^\\| " + peer + " \\| " + Pattern.quote(correctness(peer)) + " \\|",
                    Pattern.MULTILINE).matcher(md).find(), peer + " has no correctness cell");
        }
        assertTrue(md.contains("| useCount | " + Suites.RACELESS_CORRECT + " |"), "raceless row");
        assertTrue(read(dir, Charts.DESCRIPTION_FILE).contains("agronaIncDec, correct: no"), "chart legend");
    }

    @Test
    void rowsOfAFlavouredRunAreComparedOnlyWithEachOther() {
        assertTrue(md.contains("| useCount[jdk=25,readside=asymmetric] ÷ longAdderFlag[jdk=25,readside=asymmetric] | "
                + correctness("longAdderFlag") + " | 0.25× (0.20–0.31) |"), md);
        assertFalse(md.contains("| useCount ÷ longAdderFlag[jdk"), "a ratio across runs");
        assertFalse(md.contains("| useCount[jdk=25,readside=asymmetric] ÷ longAdderFlag |"), "a ratio across runs");
    }

    @Test
    void theReportComparesAndDoesNotGrade() {
        Matcher m = Pattern.compile("(?i)\\b(bars?|holds?|missed|inconclusive|verdicts?|goals?)\\b")
                .matcher(md);
        assertFalse(m.find(), () -> "grading word in the report: " + m.group());
        assertFalse(Pattern.compile("\\| [A-Z][0-9]+[a-zL]? \\|").matcher(md).find(), "a target code");
    }

    @Test
    void aLatencyShowsItsPercentilesAndAnUnlistedClassRunsOnce() {
        assertTrue(md.contains(
                "| noReaders | 1 | sample | 0.200 ± 0.010 us/op | 100 ns | 150 ns | 300 ns | 1.0 µs |"), md);
        assertTrue(md.contains("`dev.raceless.bench.refcount.ExtraBenchmark` (not listed in Suites"), md);
        assertTrue(md.contains("| probe | 1 | thrpt | 2,000,000 ± 100,000 ops/s | 2.00 |"), md);
    }

    @Test
    void theFootprintTableIsRedrawnFromItsRows() {
        assertTrue(md.contains("| UseCount() default = 4 stripes | object + stripe array + termination future | 952 |"),
                md);
        assertTrue(md.contains("| AtomicLong | object | 24 |"), md);
    }

    @Test
    void everyChartTheReportLinksIsAReadablePng() throws IOException {
        Matcher m = Pattern.compile("!\\[[^]]*]\\(([^)]+\\.png)\\)").matcher(md);
        int charts = 0;
        while (m.find()) {
            charts++;
            BufferedImage img = ImageIO.read(dir.resolve(m.group(1)).toFile());
            assertNotNull(img, m.group(1) + " is not a readable PNG");
            assertTrue(img.getWidth() > 100 && img.getHeight() > 100, m.group(1) + " is too small");
        }
        assertTrue(md.contains("](UsePairBenchmark-throughput.png)"), "no chart for the swept class");
        assertTrue(charts >= 3, "charts linked: " + charts);
    }

    static String correctness(String peer) {
        return Suites.forClass("dev.raceless.bench.refcount.UsePairBenchmark").correctness(peer);
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path d, String f) {
        return read(d.resolve(f));
    }
}
