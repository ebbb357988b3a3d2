/**
 * The benchmark report: one command ({@code ./report.sh}) that runs a preset of the JMH suite in
 * {@code jmh-benchmarks}, compares raceless with its peers and writes
 * {@code results/<date>-<cpu>-<jdk>/} (or {@code --out DIR}).
 *
 * <ul>
 * <li>{@link dev.raceless.report.Report}: the main class and its command line.</li>
 * <li>{@code Suites}: the scenarios: which benchmark classes are swept over threads, which methods
 *     are raceless, whether each peer is correct for the job, how each is charted.</li>
 * <li>{@code Render}: the second step alone (redraw from files), in a JVM without JMH.</li>
 * <li>{@code Preset}, {@code Plan}, {@code Progress}: what to run, for how long, and the console
 *     progress with its time estimate.</li>
 * <li>{@code Measurement}, {@code Json}, {@code RunInfo}, {@code FootprintRun}: the inputs of a
 *     report, read back from the files a run leaves.</li>
 * <li>{@code Markdown}, {@code Charts}: the report and its PNG charts (XChart, headless).</li>
 * </ul>
 */
package dev.raceless.report;
