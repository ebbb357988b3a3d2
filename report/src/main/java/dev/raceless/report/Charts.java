package dev.raceless.report;

import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The report's PNG charts, drawn with XChart in headless AWT: aggregate throughput against the
 * thread count (one line per method, raceless drawn thick), latency percentiles as bars, and the
 * bytes per counter of the footprint table.
 */
final class Charts {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 560;
    /** Raceless first (a strong blue), then peers in colours that stay apart when printed grey. */
    private static final Color[] COLOURS = {
            new Color(0x1f, 0x4e, 0xb4), new Color(0xd6, 0x5f, 0x00), new Color(0x2c, 0x9c, 0x3c),
            new Color(0xc0, 0x1c, 0x28), new Color(0x7b, 0x4f, 0xa6), new Color(0x8c, 0x56, 0x4b),
            new Color(0xd4, 0x4f, 0xa8), new Color(0x55, 0x55, 0x55), new Color(0x9a, 0x9a, 0x12),
            new Color(0x17, 0xa2, 0xb8)};

    private Charts() {
    }

    /**
     * Aggregate throughput (M ops/s over all threads) against the thread count; a dashed line
     * marks the CPU count when the sweep goes past it. Returns the file name written.
     */
    static String throughput(Path dir, String file, String title, List<String> labels,
                             Map<String, List<Measurement>> byLabel, List<String> raceless, int cpus) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("benchmark threads").yAxisTitle("M ops/s, all threads (higher is better)").build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().setMarkerSize(8);
        TreeSet<Integer> threads = new TreeSet<>();
        int colour = 0;
        for (String label : labels) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (Measurement m : byLabel.get(label)) {
                double agg = m.aggregateOpsPerSecond();
                if (!Double.isNaN(agg)) {
                    x.add((double) m.threads());
                    y.add(agg / 1e6);
                    threads.add(m.threads());
                }
            }
            if (x.isEmpty()) {
                continue;
            }
            boolean ours = raceless.contains(label.replaceAll("\\[.*", ""));
            XYSeries s = chart.addSeries(label + (ours ? " (raceless)" : ""), x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineColor(COLOURS[colour % COLOURS.length]);
            s.setMarkerColor(COLOURS[colour % COLOURS.length]);
            s.setLineWidth(ours ? 4.5f : 2f);
            colour++;
        }
        if (threads.isEmpty()) {
            return null;
        }
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(threads.last() + 0.5);
        if (threads.last() > cpus) {
            chart.addAnnotation(new AnnotationLine(cpus, true, false));
            chart.addAnnotation(new AnnotationText("more threads than the " + cpus + " CPUs", (cpus + threads.last()) / 2.0,
                    0, false));
            chart.getStyler().setAnnotationLineStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 10f, new float[] {6f, 6f}, 0f));
            chart.getStyler().setAnnotationLineColor(Color.GRAY);
            chart.getStyler().setAnnotationTextFontColor(Color.DARK_GRAY);
        }
        save(chart, dir, file);
        return file;
    }

    /**
     * Latency bars in µs: p50, p90 and p99 per benchmark for SampleTime results, the mean for
     * the other time modes. Returns the file name written, or null when nothing is a time.
     */
    static String latency(Path dir, String file, String title, List<Measurement> results) throws IOException {
        List<String> categories = new ArrayList<>();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        boolean sampled = results.stream().anyMatch(m -> m.medianNanos() != null);
        String[][] keys = sampled ? new String[][] {{"p50", "50.0"}, {"p90", "90.0"}, {"p99", "99.0"}}
                : new String[][] {{"mean", null}};
        for (String[] k : keys) {
            series.put(k[0], new ArrayList<>());
        }
        for (Measurement m : results) {
            if (!m.isTimePerOp()) {
                continue;
            }
            categories.add(m.label() + (m.threads() > 1 ? " t=" + m.threads() : ""));
            for (String[] k : keys) {
                Double ns = k[1] == null ? Double.valueOf(m.nanosPerOp()) : m.percentileNanos(k[1]);
                series.get(k[0]).add(significant((ns == null ? m.nanosPerOp() : ns) / 1e3));
            }
        }
        if (categories.isEmpty()) {
            return null;
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(sampled ? "benchmark (SampleTime percentiles)" : "benchmark (mean)")
                .yAxisTitle("µs per operation (lower is better)").build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFont(chart.getStyler().getBaseFont().deriveFont(11f));
        // tails are often 10-1000x the median: a log axis keeps the medians readable
        double min = series.values().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).min().orElse(1);
        double max = series.values().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).max().orElse(1);
        if (min > 0 && max / min > 20) {
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min)))); // bars need a floor > 0
            chart.getStyler().setYAxisDecimalPattern("#,##0.###"); // not XChart's 1E3 on a log axis
            chart.setYAxisTitle("µs per operation, log scale (lower is better)");
        } else { // (a tick formatter would defeat XChart's log ticks)
            chart.getStyler().setyAxisTickLabelsFormattingFunction(Charts::micros);
        }
        int colour = 0;
        for (Map.Entry<String, List<Double>> e : series.entrySet()) {
            CategorySeries s = chart.addSeries(e.getKey(), categories, e.getValue());
            s.setFillColor(COLOURS[colour++ % COLOURS.length]);
        }
        save(chart, dir, file);
        return file;
    }

    /** Bytes per counter from the Footprint table, UseCount rows in the raceless colour, with a 1 KiB line. */
    static String footprint(Path dir, String file, List<FootprintRun.Row> rows) throws IOException {
        if (rows.isEmpty()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        // two overlapped series, one colour each; null leaves a bar (and its label) out
        List<Long> ours = new ArrayList<>();
        List<Long> peers = new ArrayList<>();
        for (FootprintRun.Row r : rows) {
            String name = r.counter().replace("JCTools FixedSizeStripedLongCounter", "JCTools striped")
                    .replace("Agrona AtomicCounter", "Agrona").replace(" stripes", "");
            names.add(name);
            boolean raceless = r.counter().startsWith("UseCount");
            ours.add(raceless ? r.bytes() : null);
            peers.add(raceless ? null : r.bytes());
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT + 80)
                .title("Heap bytes per counter (JOL; lower is better)").xAxisTitle("")
                .yAxisTitle("bytes").build();
        style(chart.getStyler());
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setyAxisTickLabelsFormattingFunction(v -> String.format(Locale.ROOT, "%.0f", v));
        CategorySeries a = chart.addSeries("raceless UseCount", names, ours);
        a.setFillColor(COLOURS[0]);
        CategorySeries b = chart.addSeries("peers", names, peers);
        b.setFillColor(COLOURS[1]);
        chart.addAnnotation(new AnnotationLine(1024, false, false));
        long most = rows.stream().mapToLong(FootprintRun.Row::bytes).max().orElse(1024);
        chart.addAnnotation(new AnnotationText("1 KiB", rows.size() - 0.7, 1024 + Math.max(1024, most) * 0.03, false));
        chart.getStyler().setAnnotationLineColor(Color.GRAY);
        chart.getStyler().setAnnotationLineStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 10f, new float[] {6f, 6f}, 0f));
        save(chart, dir, file);
        return file;
    }

    /** Three significant digits, so the bar labels stay short. */
    private static double significant(double v) {
        return v <= 0 || Double.isNaN(v) ? v
                : new java.math.BigDecimal(v).round(new java.math.MathContext(3)).doubleValue();
    }

    /** Tick and bar labels in µs with two or three significant digits. */
    private static String micros(double v) {
        return String.format(Locale.ROOT, v < 1 ? "%.2f" : v < 10 ? "%.1f" : "%.0f", v);
    }

    private static void style(Styler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(true);
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setChartTitleFont(s.getChartTitleFont().deriveFont(16f));
        s.setAntiAlias(true);
    }

    private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path dir, String file)
            throws IOException {
        String base = dir.resolve(file).toString();
        BitmapEncoder.saveBitmap(chart, base.substring(0, base.length() - ".png".length()),
                BitmapEncoder.BitmapFormat.PNG);
    }
}
