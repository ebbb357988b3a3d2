package dev.raceless.stress.torture;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The rcutorture-style soak: runs every {@link TortureScenario} at once for a given time, with
 * fault injection, then prints operations, faults and errors per kind and latency histograms, and
 * exits non-zero on any error. Run from the repository root with {@code ./torture.sh --seconds N}
 * or {@code --minutes N}; {@code --stall-seconds S} sets the stall threshold (default 2 s, short so
 * that an injected stall is reported, and rescued, well inside a short run).
 */
public final class TortureMain {
    private TortureMain() {
    }

    static List<TortureScenario> scenarios() {
        return List.of(new RegistryGroupTorture(), new UseCountChurnTorture(), new GraceDomainTorture(),
                new LoaderTorture(), new QuiescentDomainTorture());
    }

    public static void main(String[] args) throws InterruptedException {
        long runNanos = TimeUnit.SECONDS.toNanos(60);
        long stallNanos = TimeUnit.SECONDS.toNanos(2);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> runNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[++i]));
                case "--minutes" -> runNanos = TimeUnit.MINUTES.toNanos(Long.parseLong(args[++i]));
                case "--stall-seconds" -> stallNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[++i]));
                default -> {
                    System.err.println("usage: torture (--seconds N | --minutes N) [--stall-seconds S]");
                    System.exit(2);
                }
            }
        }
        Torture torture = new Torture(runNanos, stallNanos);
        List<Thread> all = new ArrayList<>();
        List<TortureScenario> scenarios = scenarios();
        for (TortureScenario s : scenarios) {
            all.addAll(s.threads(torture));
        }
        System.out.printf("torture: %d scenarios, %d threads, %d s, stall threshold %d ms%n", scenarios.size(),
                all.size(), TimeUnit.NANOSECONDS.toSeconds(runNanos), TimeUnit.NANOSECONDS.toMillis(stallNanos));
        for (Thread t : all) {
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> torture.error("uncaught exception", th.getName() + ": " + e));
            t.start();
        }
        long grace = runNanos + stallNanos * 4 + TimeUnit.SECONDS.toNanos(30);
        long end = System.nanoTime() + grace;
        for (Thread t : all) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            if (t.isAlive()) {
                StringBuilder stack = new StringBuilder();
                for (StackTraceElement e : t.getStackTrace()) {
                    stack.append("\n\tat ").append(e);
                }
                torture.error("hang", t.getName() + " did not finish" + stack);
            }
        }
        torture.print(System.out);
        long errors = torture.errorCount();
        System.out.println(errors == 0 ? "torture: PASS" : "torture: FAIL, " + errors + " errors");
        System.exit(errors == 0 ? 0 : 1);
    }
}
