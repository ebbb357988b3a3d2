package dev.raceless.stress.harness;

import dev.raceless.stress.grace.GraceTortureStress;
import dev.raceless.stress.grace.NoStarvationStress;
import dev.raceless.stress.grace.SynchronizersShareStress;
import dev.raceless.stress.torture.GraceDomainTorture;
import dev.raceless.stress.torture.LoaderTorture;
import dev.raceless.stress.torture.QuiescentDomainTorture;
import dev.raceless.stress.torture.RegistryGroupTorture;
import dev.raceless.stress.torture.UseCountChurnTorture;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The stress runner: runs {@link Scenario}s in one of two modes and exits non-zero on any error.
 *
 * <p><b>{@code --check}</b> (the default; what {@code ./mvnw verify} runs): every scenario, one after the other,
 * each alone. A bounded scenario runs to its own budget (round count and wall-clock cap, times
 * {@code -Draceless.stress.scale}); an open-ended one runs for {@value #CHECK_SECONDS} s times the
 * scale. One line per scenario ({@code PASS name (t s): detail} or {@code FAIL ...}), then
 * {@code N passed, M failed}. A broken twin fails the check if its bug went uncaught.
 *
 * <p><b>{@code --soak}</b> (what {@code ./torture.sh} runs, rcutorture-style): every open-ended
 * scenario at once, with their fault injection, for the given time; then operations, faults and
 * errors per kind and latency histograms, and {@code torture: PASS} or
 * {@code torture: FAIL, N errors}. {@code --stall-seconds S} sets the stall threshold (default
 * 2 s: short, so that an injected stall is reported, and rescued, well inside a short run).
 *
 * <pre>
 *   $ java -cp stress-tests/target/jcstress.jar dev.raceless.stress.harness.StressMain --check
 *   $ java -Draceless.stress.scale=20 -cp ... StressMain --check          # 20 times longer caps
 *   $ java -cp ... StressMain --check --only 'HandOff.*Broken'             # scenarios by name
 *   $ java -cp ... StressMain --soak --minutes 10 [--stall-seconds 2]      # also ./torture.sh
 * </pre>
 *
 * <p>To add a scenario, add it to {@link #scenarios()}. Keep {@code --check} under two minutes on
 * a two-CPU machine: Maven runs it in {@code verify}.
 */
public final class StressMain {
    /** How long {@code --check} runs each open-ended scenario, before the scale. */
    static final long CHECK_SECONDS = 2;
    private static final long DEFAULT_STALL_SECONDS = 2;
    /** How long {@code --check} waits for a bounded scenario before it reports a hang, before the scale. */
    private static final long BOUNDED_JOIN_SECONDS = 120;
    private static final String USAGE = "usage: StressMain [--check] [--only REGEX]\n"
            + "       StressMain [--soak] (--seconds N | --minutes N) [--stall-seconds S] [--only REGEX]";

    private StressMain() {
    }

    /** Every scenario, in the order {@code --check} runs them; fresh objects on each call. */
    static List<Supplier<Scenario>> scenarios() {
        List<Supplier<Scenario>> all = new ArrayList<>(List.of(
                HandOffAcrossStripesStress::onUseCount,
                HandOffAcrossStripesStress::onBrokenCount,
                ShutdownReopenChurnStress::onUseCount));
        all.addAll(GraceTortureStress.scenarios());
        all.add(SynchronizersShareStress::scenario);
        all.add(NoStarvationStress::scenario);
        all.add(RegistryGroupTorture::new);
        all.add(UseCountChurnTorture::new);
        all.add(GraceDomainTorture::new);
        all.add(LoaderTorture::new);
        all.add(QuiescentDomainTorture::new);
        return all;
    }

    public static void main(String[] args) throws InterruptedException {
        boolean soak = false;
        long runNanos = -1;
        long stallNanos = TimeUnit.SECONDS.toNanos(DEFAULT_STALL_SECONDS);
        Pattern only = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--check" -> soak = false;
                    case "--soak" -> soak = true;
                    case "--seconds" -> {
                        soak = true;
                        runNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[++i]));
                    }
                    case "--minutes" -> {
                        soak = true;
                        runNanos = TimeUnit.MINUTES.toNanos(Long.parseLong(args[++i]));
                    }
                    case "--stall-seconds" -> stallNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[++i]));
                    case "--only" -> only = Pattern.compile(args[++i]);
                    default -> throw new IllegalArgumentException(args[i]);
                }
            }
            if (soak && runNanos < 0) {
                throw new IllegalArgumentException("no mode");
            }
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            System.err.println(USAGE);
            System.exit(2);
        }
        List<Scenario> chosen = new ArrayList<>();
        for (Supplier<Scenario> s : scenarios()) {
            Scenario sc = s.get();
            if ((only == null || only.matcher(sc.name()).find()) && (!soak || sc.soaks())) {
                chosen.add(sc);
            }
        }
        if (chosen.isEmpty()) {
            System.err.println("no scenario matches " + only);
            System.exit(2);
        }
        System.exit((soak ? soak(chosen, runNanos, stallNanos) : check(chosen, stallNanos)) ? 0 : 1);
    }

    /** {@code --check}: each scenario alone, in order; a line each and a total; true if all passed. */
    static boolean check(List<Scenario> scenarios, long stallNanos) throws InterruptedException {
        int passed = 0;
        int failed = 0;
        long start = System.nanoTime();
        long openNanos = (long) (TimeUnit.SECONDS.toNanos(CHECK_SECONDS) * Budget.scale());
        for (Scenario s : scenarios) {
            long t0 = System.nanoTime();
            Run run = new Run(openNanos, stallNanos);
            long joinNanos = s.soaks() ? openNanos + stallNanos * 4 + TimeUnit.SECONDS.toNanos(30)
                    : (long) (TimeUnit.SECONDS.toNanos(BOUNDED_JOIN_SECONDS) * Budget.scale());
            runThreads(run, s.threads(run), joinNanos);
            boolean ok = run.errorCount() == 0;
            System.out.printf("%s %s (%.1f s): %s%n", ok ? "PASS" : "FAIL", s.name(),
                    (System.nanoTime() - t0) / 1e9, run.summary());
            System.out.flush();
            if (ok) {
                passed++;
            } else {
                failed++;
            }
        }
        System.out.printf("total %.1f s%n", (System.nanoTime() - start) / 1e9);
        System.out.printf("%d passed, %d failed%n", passed, failed);
        return failed == 0;
    }

    /** {@code --soak}: every scenario at once, with the soak report; true if no error was seen. */
    static boolean soak(List<Scenario> scenarios, long runNanos, long stallNanos) throws InterruptedException {
        Run run = new Run(runNanos, stallNanos);
        List<Thread> all = new ArrayList<>();
        for (Scenario s : scenarios) {
            all.addAll(s.threads(run));
        }
        System.out.printf("torture: %d scenarios, %d threads, %d s, stall threshold %d ms%n", scenarios.size(),
                all.size(), TimeUnit.NANOSECONDS.toSeconds(runNanos), TimeUnit.NANOSECONDS.toMillis(stallNanos));
        runThreads(run, all, runNanos + stallNanos * 4 + TimeUnit.SECONDS.toNanos(30));
        run.print(System.out);
        long errors = run.errorCount();
        System.out.println(errors == 0 ? "torture: PASS" : "torture: FAIL, " + errors + " errors");
        return errors == 0;
    }

    /** Starts {@code threads} and joins them for at most {@code joinNanos}; a thread still alive is a hang. */
    private static void runThreads(Run run, List<Thread> threads, long joinNanos) throws InterruptedException {
        for (Thread t : threads) {
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> run.error("uncaught exception", th.getName() + ": " + e));
            t.start();
        }
        long end = System.nanoTime() + joinNanos;
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            if (t.isAlive()) {
                StringBuilder stack = new StringBuilder();
                for (StackTraceElement e : t.getStackTrace()) {
                    stack.append("\n\tat ").append(e);
                }
                run.error("hang", t.getName() + " did not finish" + stack);
            }
        }
    }
}
