package dev.raceless.report;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden tests: every committed report under {@code docs/results/} is redrawn from its own input
 * files (jmh-result.json, run.properties, footprint.md) into a fresh directory, and the text the
 * generator writes must equal the committed text byte for byte. A change to the generator
 * therefore shows up as a diff of the committed reports: redraw them with
 * {@code ./report.sh --render docs/results/<dir>} and review that diff in the same commit.
 *
 * <p>PNGs are not compared byte for byte (font rendering differs between JDKs and machines); the
 * charts' content is compared through {@code charts.md}, the text the generator writes for
 * every chart, and each PNG the report links must exist and decode.
 */
class CommittedReportsTest {

    /** The text files a render writes; each is compared with its committed copy. */
    static final List<String> GOLDEN_FILES = List.of("README.md", Charts.DESCRIPTION_FILE);

    @TempDir
    Path tmp;

    static List<Path> committedReports() throws IOException {
        Path root = Paths.get(System.getProperty("raceless.results", "../docs/results"));
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(d -> Files.exists(d.resolve(Render.RESULT_JSON))).sorted().forEach(dirs::add);
        }
        return dirs;
    }

    /** Copies a committed report's inputs (not its outputs) into a fresh directory and renders it. */
    static Path renderCopy(Path committed, Path into) throws IOException {
        Path dir = into.resolve(committed.getFileName().toString());
        Files.createDirectories(dir);
        for (String f : List.of(Render.RESULT_JSON, Render.RUN_PROPERTIES, Render.FOOTPRINT_MD)) {
            if (Files.exists(committed.resolve(f))) {
                Files.copy(committed.resolve(f), dir.resolve(f));
            }
        }
        Render.render(dir);
        return dir;
    }

    @TestFactory
    Stream<DynamicTest> redrawingACommittedReportReproducesItsText() throws IOException {
        List<Path> dirs = committedReports();
        assertFalse(dirs.isEmpty(), "no committed report under docs/results");
        return dirs.stream().map(committed -> DynamicTest.dynamicTest(committed.getFileName().toString(), () -> {
            Path fresh = renderCopy(committed, tmp);
            for (String f : GOLDEN_FILES) {
                assertTrue(Files.exists(committed.resolve(f)), committed + " has no committed " + f
                        + ": redraw it with ./report.sh --render " + committed);
                assertEquals(read(committed.resolve(f)), read(fresh.resolve(f)),
                        f + " differs from the committed " + committed.resolve(f)
                                + ": redraw with ./report.sh --render " + committed + " and review the diff");
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyChartAReportLinksIsAReadablePng() throws IOException {
        return committedReports().stream().map(committed -> DynamicTest.dynamicTest(
                committed.getFileName().toString(), () -> {
                    Path fresh = renderCopy(committed, tmp);
                    Matcher m = Pattern.compile("!\\[[^]]*]\\(([^)]+\\.png)\\)").matcher(read(fresh.resolve("README.md")));
                    int charts = 0;
                    while (m.find()) {
                        charts++;
                        BufferedImage img = ImageIO.read(fresh.resolve(m.group(1)).toFile());
                        assertNotNull(img, m.group(1) + " is not a readable PNG");
                        assertTrue(img.getWidth() > 100 && img.getHeight() > 100, m.group(1) + " is too small");
                        assertTrue(Files.exists(committed.resolve(m.group(1))), m.group(1) + " is not committed");
                    }
                    assertTrue(charts > 0, "the report links no chart");
                }));
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
