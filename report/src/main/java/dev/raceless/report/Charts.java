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
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The report's PNG charts, drawn with XChart in headless AWT, and {@code charts.md}: the same
 * charts in words and numbers (every point and its interval), which the golden tests compare and
 * a reader without images can read.
 *
 * <ul>
 * <li>aggregate throughput against the thread count, one line per method, raceless drawn thick,
 *     each legend entry marked with whether that method is correct for the scenario's job
 *     ({@link Suites.Suite#peers});</li>
 * <li>throughput of classes run once (one point per method);</li>
 * <li>latency: SampleTime p50, p90 and p99 per method, or the mean for the other time modes;</li>
 * <li>heap bytes per counter.</li>
 * </ul>
 *
 * <p><b>Intervals.</b> Every point has a vertical bar: the 99.9% confidence interval JMH gives for
 * means and throughputs, and the lowest to highest value over the measurement iterations for
 * SampleTime percentiles (JMH gives no interval for those). An interval that reaches zero or
 * infinity is drawn to the edge of the plot, and {@code charts.md} says so.
 *
 * <p><b>Axes.</b> A value axis is logarithmic when the values on it span more than
 * {@link #LOG_SPAN} times, so the small values stay readable next to the large ones.
 */
final class Charts {
    /* Implementation notes: XChart draws only symmetric error bars, and JMH's intervals become
     * asymmetric once inverted (time → ops/s) or divided (ratios), so an interval is drawn as a
     * series of its own: two points, no marker, same colour, left out of the legend. Category
     * positions on an XY chart are 1..n with the category name as the tick label; that keeps the
     * interval bars and the log axis working the same way on every chart. Each chart method adds
     * its description to `text` in the same pass that adds the series, so the PNG and charts.md
     * cannot disagree. */

    static final String DESCRIPTION_FILE = "charts.md";
    /** Values spanning more than this factor get a log axis. */
    static final double LOG_SPAN = 20;

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 640;
    /** Raceless first (a strong blue), then peers in colours that stay apart when printed grey. */
    private static final Color[] COLOURS = {
            new Color(0x1f, 0x4e, 0xb4), new Color(0xd6, 0x5f, 0x00), new Color(0x2c, 0x9c, 0x3c),
            new Color(0xc0, 0x1c, 0x28), new Color(0x7b, 0x4f, 0xa6), new Color(0x8c, 0x56, 0x4b),
            new Color(0xd4, 0x4f, 0xa8), new Color(0x55, 0x55, 0x55), new Color(0x9a, 0x9a, 0x12),
            new Color(0x17, 0xa2, 0xb8)};
    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND, SeriesMarkers.SQUARE,
            SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN};

    private final Path dir;
    private final StringBuilder text = new StringBuilder();
    private int hiddenSeries;
    /** The categories of the chart being built by {@link #categorical}, labelled by drawWith. */
    private List<String> pendingCategories;

    Charts(Path dir) {
        this.dir = dir;
        text.append("# The charts in numbers\n\nEach chart of this report, with every point it draws and its interval "
                + "(the vertical line through the point): 99.9% confidence interval for means and throughputs, lowest "
                + "to highest over the measurement iterations for SampleTime percentiles. Written by the report "
                + "with the PNGs.\n");
    }

    /** The text of charts.md. */
    String description() {
        return text.toString();
    }

    /** One point and its interval. */
    private record Point(double x, double y, Measurement.Interval interval) {
    }

    /** One series: its legend label and its points. */
    private record Line(String label, List<Point> points, boolean thick) {
    }

    // ---- the charts -----------------------------------------------------------------------

    /**
     * Aggregate throughput (M ops/s over all threads) against the thread count; a dashed line
     * marks the CPU count when the sweep goes past it. Returns the file name written.
     */
    String throughput(String file, Suites.Suite suite, List<String> labels, Map<String, List<Measurement>> byLabel,
                      int cpus) throws IOException {
        String title = suite.title();
        List<Line> lines = new ArrayList<>();
        TreeSet<Integer> threads = new TreeSet<>();
        for (String label : labels) {
            List<Point> pts = new ArrayList<>();
            for (Measurement m : byLabel.get(label)) {
                double agg = m.aggregateOpsPerSecond();
                if (!Double.isNaN(agg)) {
                    pts.add(new Point(m.threads(), agg / 1e6, m.aggregateInterval().times(1e-6)));
                    threads.add(m.threads());
                }
            }
            if (pts.isEmpty()) {
                continue;
            }
            String method = label.replaceAll("\\[.*", "");
            boolean ours = suite.isRaceless(method);
            String correct = suite.hasPeers() ? suite.correctness(method) : null;
            lines.add(new Line(label + (ours ? " (raceless)" : "") + (correct == null ? "" : ", correct: " + correct),
                    pts, ours));
        }
        if (lines.isEmpty()) {
            return null;
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT + 60).title(title)
                .xAxisTitle("benchmark threads").yAxisTitle("M ops/s, all threads (higher is better)").build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(threads.last() + 0.5);
        String axis = draw(chart, lines, false);
        if (threads.last() > cpus) {
            chart.addAnnotation(new AnnotationLine(cpus + 0.02, true, false));
            chart.addAnnotation(new AnnotationText("more threads than the " + cpus + " CPUs →",
                    (cpus + threads.last()) / 2.0, chart.getStyler().getYAxisMin() == null ? 0
                    : chart.getStyler().getYAxisMin() * (axis.startsWith("log") ? 1.5 : 1), false));
            dashed(chart.getStyler());
        }
        describe(file, title, "benchmark threads", "M ops/s over all threads (higher is better), " + axis
                + (suite.hasPeers() ? "; legend: whether each method is correct for the scenario's job" : ""), lines);
        save(chart, file);
        return file;
    }

    /** Throughput of results run once (their own @Threads): one point per result, M ops/s. */
    String throughputPoints(String file, String title, List<Measurement> results) throws IOException {
        List<String> categories = new ArrayList<>();
        List<Point> pts = new ArrayList<>();
        for (Measurement m : results) {
            double agg = m.aggregateOpsPerSecond();
            if (Double.isNaN(agg) || m.isTimePerOp()) {
                continue;
            }
            categories.add(m.label() + " (" + m.threads() + (m.threads() == 1 ? " thread)" : " threads)"));
            pts.add(new Point(categories.size(), agg / 1e6, m.aggregateInterval().times(1e-6)));
        }
        if (pts.isEmpty()) {
            return null;
        }
        XYChart chart = categorical(title, "M ops/s, all threads (higher is better)", categories);
        List<Line> lines = List.of(new Line("M ops/s over all threads, 99.9% CI", pts, true));
        String axis = draw(chart, lines, true);
        describe(file, title, "benchmark: " + String.join(", ", numbered(categories)),
                "M ops/s over all threads (higher is better), " + axis, lines);
        save(chart, file);
        return file;
    }

    /**
     * Latency per result: p50, p90 and p99 for SampleTime (interval: lowest to highest over the
     * iterations), the mean for the other time modes (interval: 99.9% CI). Returns null when no
     * result is a time.
     */
    String latency(String file, String title, List<Measurement> results) throws IOException {
        List<String> categories = new ArrayList<>();
        List<Measurement> timed = new ArrayList<>();
        for (Measurement m : results) {
            if (m.isTimePerOp()) {
                timed.add(m);
                categories.add(m.label() + (m.threads() > 1 ? " t=" + m.threads() : ""));
            }
        }
        if (timed.isEmpty()) {
            return null;
        }
        boolean sampled = timed.stream().anyMatch(m -> m.medianNanos() != null);
        List<Line> lines = new ArrayList<>();
        if (sampled) {
            String[][] keys = {{"p50", "50.0", "0.5"}, {"p90", "90.0", "0.9"}, {"p99", "99.0", "0.99"}};
            for (String[] k : keys) {
                List<Point> pts = new ArrayList<>();
                for (int i = 0; i < timed.size(); i++) {
                    Measurement m = timed.get(i);
                    Double ns = m.percentileNanos(k[1]);
                    if (ns == null) { // a non-sample time among sampled ones: its mean under p50
                        if (k[0].equals("p50")) {
                            pts.add(new Point(i + 1, m.nanosPerOp() / 1e3, m.nanosInterval().times(1e-3)));
                        }
                        continue;
                    }
                    pts.add(new Point(i + 1, ns / 1e3, m.percentileRangeNanos(Double.parseDouble(k[2])).times(1e-3)));
                }
                lines.add(new Line(k[0] + " (interval: lowest–highest over iterations)", pts, false));
            }
        } else {
            List<Point> pts = new ArrayList<>();
            for (int i = 0; i < timed.size(); i++) {
                Measurement m = timed.get(i);
                pts.add(new Point(i + 1, m.nanosPerOp() / 1e3, m.nanosInterval().times(1e-3)));
            }
            lines.add(new Line("mean (interval: 99.9% CI)", pts, false));
        }
        XYChart chart = categorical(title, "µs per operation (lower is better)", categories);
        String axis = draw(chart, lines, true);
        describe(file, title, "benchmark: " + String.join(", ", numbered(categories)),
                "µs per operation (lower is better), " + axis, lines);
        save(chart, file);
        return file;
    }

    /** Bytes per counter from the Footprint table, UseCount rows in the raceless colour. */
    String footprint(String file, List<FootprintRun.Row> rows) throws IOException {
        if (rows.isEmpty()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        // two overlapped series, one colour each; null leaves a bar (and its label) out
        List<Double> ours = new ArrayList<>(); // Double: XChart's log axis reads the values as Double
        List<Double> peers = new ArrayList<>();
        for (FootprintRun.Row r : rows) {
            String name = r.counter().replace("JCTools FixedSizeStripedLongCounter", "JCTools striped")
                    .replace("Agrona AtomicCounter", "Agrona").replace(" stripes", "");
            names.add(name);
            boolean raceless = r.counter().startsWith("UseCount");
            ours.add(raceless ? (double) r.bytes() : null);
            peers.add(raceless ? null : (double) r.bytes());
        }
        long most = rows.stream().mapToLong(FootprintRun.Row::bytes).max().orElse(1024);
        long least = rows.stream().mapToLong(FootprintRun.Row::bytes).min().orElse(1024);
        boolean log = most > LOG_SPAN * least;
        String title = "Heap bytes per counter (JOL; lower is better)";
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT + 80).title(title).xAxisTitle("")
                .yAxisTitle(log ? "bytes, log scale" : "bytes").build();
        style(chart.getStyler());
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        if (log) {
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(least)))); // bars need a floor > 0
            chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(most * 1.5))));
            chart.getStyler().setYAxisDecimalPattern("#,##0");
        } else {
            chart.getStyler().setyAxisTickLabelsFormattingFunction(v -> String.format(Locale.ROOT, "%.0f", v));
        }
        CategorySeries a = chart.addSeries("raceless UseCount", names, ours);
        a.setFillColor(COLOURS[0]);
        CategorySeries b = chart.addSeries("peers", names, peers);
        b.setFillColor(COLOURS[1]);
        text.append("\n## ").append(file).append(": ").append(title).append("\n\n")
                .append("- y: bytes (exact, JOL), ").append(log ? "log scale" : "linear scale").append('\n');
        for (FootprintRun.Row r : rows) {
            text.append("- ").append(r.counter()).append(": ").append(r.bytes()).append('\n');
        }
        save(chart, file);
        return file;
    }

    // ---- drawing --------------------------------------------------------------------------

    /**
     * An XY chart whose x positions 1..n are the categories; {@link #drawWith} names them with a
     * text under each position (the x axis itself has no ticks).
     */
    private XYChart categorical(String title, String yTitle, List<String> categories) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("")
                .yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setXAxisMin(0.5);
        chart.getStyler().setXAxisMax(categories.size() + 0.5);
        chart.getStyler().setXAxisTicksVisible(false);
        pendingCategories = categories;
        return chart;
    }

    private String draw(XYChart chart, List<Line> lines, boolean pointsOnly) {
        return drawWith(chart, lines, pointsOnly, false, COLOURS);
    }

    /**
     * Adds each line and its intervals; picks the value axis (log when the values span more than
     * LOG_SPAN, or when forced) and clips intervals to it. Returns the axis in words.
     */
    private String drawWith(XYChart chart, List<Line> lines, boolean pointsOnly, boolean forceLog, Color[] colours) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (Line l : lines) {
            for (Point p : l.points()) {
                if (p.y() > 0) {
                    min = Math.min(min, p.y());
                    max = Math.max(max, p.y());
                }
                if (p.interval().known()) {
                    if (p.interval().lo() > 0) {
                        min = Math.min(min, p.interval().lo());
                    }
                    if (Double.isFinite(p.interval().hi())) {
                        max = Math.max(max, p.interval().hi());
                    }
                }
            }
        }
        if (max <= 0) {
            max = 1;
            min = 0.1;
        }
        double top;
        double bottom;
        boolean log = forceLog || max > LOG_SPAN * min;
        if (log) {
            // the span of the points, not of the intervals, decides the axis; intervals are clipped
            // at 100x beyond the points so one wild interval does not flatten the chart
            double pMin = Double.POSITIVE_INFINITY;
            double pMax = 0;
            for (Line l : lines) {
                for (Point p : l.points()) {
                    if (p.y() > 0) {
                        pMin = Math.min(pMin, p.y());
                        pMax = Math.max(pMax, p.y());
                    }
                }
            }
            if (pMax <= 0) {
                pMin = min;
                pMax = max;
            }
            bottom = Math.pow(10, Math.floor(Math.log10(Math.max(min, pMin / 10))));
            top = Math.pow(10, Math.ceil(Math.log10(Math.min(max, pMax * 10) * 1.01)));
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setYAxisDecimalPattern("#,##0.###"); // not XChart's 1E3 on a log axis
            chart.setYAxisTitle(chart.getYAxisTitle().replace(" (", ", log scale ("));
        } else {
            bottom = 0;
            top = Math.min(max, 3 * (lines.stream().flatMap(l -> l.points().stream()).mapToDouble(Point::y).max()
                    .orElse(1))) * 1.05;
        }
        chart.getStyler().setYAxisMin(bottom);
        chart.getStyler().setYAxisMax(top);
        int colour = 0;
        for (Line l : lines) {
            Color c = colours[colour % colours.length];
            Marker marker = MARKERS[colour % MARKERS.length];
            colour++;
            if (l.points().isEmpty()) {
                // an empty category still gets its legend entry
                XYSeries s = chart.addSeries(l.label(), new double[] {-1}, new double[] {bottom > 0 ? bottom : 0});
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                s.setMarker(marker);
                s.setMarkerColor(c);
                continue;
            }
            double[] x = l.points().stream().mapToDouble(Point::x).toArray();
            double[] y = l.points().stream().mapToDouble(p -> clip(p.y(), bottom, top)).toArray();
            XYSeries s = chart.addSeries(l.label(), x, y);
            s.setMarker(marker);
            s.setMarkerColor(c);
            s.setLineColor(c);
            if (pointsOnly) {
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            } else {
                s.setLineStyle(new BasicStroke(l.thick() ? 4.5f : 2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            }
            for (Point p : l.points()) {
                if (!p.interval().known()) {
                    continue;
                }
                double lo = clip(p.interval().lo(), bottom, top);
                double hi = clip(p.interval().hi(), bottom, top);
                XYSeries e = chart.addSeries("interval " + (++hiddenSeries), new double[] {p.x(), p.x()},
                        new double[] {lo, hi});
                e.setShowInLegend(false);
                e.setMarker(SeriesMarkers.NONE);
                e.setLineColor(c);
                e.setLineStyle(new BasicStroke(l.thick() ? 3f : 1.5f));
            }
        }
        if (pendingCategories != null) {
            // category names just above the floor of the plot, one under each position
            double y = log ? bottom * Math.pow(top / bottom, 0.03) : bottom + (top - bottom) * 0.03;
            for (int i = 0; i < pendingCategories.size(); i++) {
                chart.addAnnotation(new AnnotationText(pendingCategories.get(i), i + 1, y, false));
            }
            chart.getStyler().setAnnotationTextFont(chart.getStyler().getBaseFont().deriveFont(11f));
            pendingCategories = null;
        }
        return log ? "log scale" : "linear scale";
    }

    private static double clip(double v, double bottom, double top) {
        return Math.max(bottom, Math.min(top, v));
    }

    /** Writes one chart's section of charts.md. */
    private void describe(String file, String title, String x, String y, List<Line> lines) {
        text.append("\n## ").append(file).append(": ").append(title).append("\n\n- x: ").append(x)
                .append("\n- y: ").append(y).append('\n');
        for (Line l : lines) {
            text.append("- ").append(l.label()).append(": ");
            List<String> pts = new ArrayList<>();
            for (Point p : l.points()) {
                pts.add(num(p.x()) + " → " + num(p.y()) + (p.interval().known()
                        ? " [" + num(p.interval().lo()) + ", " + num(p.interval().hi()) + "]" : " [no interval]"));
            }
            text.append(pts.isEmpty() ? "none" : String.join("; ", pts)).append('\n');
        }
    }

    private static List<String> numbered(List<String> categories) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < categories.size(); i++) {
            out.add((i + 1) + " = " + categories.get(i));
        }
        return out;
    }

    /** Three significant digits; ∞ for an unbounded interval end. */
    static String num(double v) {
        if (Double.isInfinite(v)) {
            return "∞";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return String.valueOf((long) v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    private static void dashed(Styler s) {
        s.setAnnotationLineColor(Color.GRAY);
        s.setAnnotationLineStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 6f}, 0f));
        s.setAnnotationTextFontColor(Color.DARK_GRAY);
    }

    private static void style(Styler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(true);
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setChartTitleFont(s.getChartTitleFont().deriveFont(16f));
        s.setAntiAlias(true);
    }

    private void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, String file) throws IOException {
        String base = dir.resolve(file).toString();
        BitmapEncoder.saveBitmap(chart, base.substring(0, base.length() - ".png".length()),
                BitmapEncoder.BitmapFormat.PNG);
    }
}
