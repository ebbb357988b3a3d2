package dev.raceless.example.pluginserver;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The demo: starts a {@link PluginServer} on loopback with the {@code greeter} plugin, runs N
 * concurrent clients (the JDK's {@link HttpClient}) against {@code /greeter/...} for a bounded
 * time while a new version of the plugin is dropped into the watched directory every 50 ms, and
 * prints requests, failed requests, wrong-version responses (a version older than the last upgrade
 * that had returned when the request was sent), latency percentiles in steady state and during
 * upgrades, upgrades done, old class loaders collected, and open files before and after. Exits 1
 * if any request failed or got a wrong version, an old class loader was not collected, or the
 * number of open files grew.
 *
 * <p>{@code java -jar plugin-server.jar [--seconds N] [--clients N] [--period-ms N]}
 */
public final class LoadDriver {
    private LoadDriver() {
    }

    /** One client's figures. */
    private static final class Client {
        final Histogram steady = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
        final Histogram upgrading = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
        long requests;
        long failed;
        long wrong;
        String firstProblem;
    }

    public static void main(String[] args) throws Exception {
        long seconds = 10;
        int clients = 8;
        long periodMs = 50;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds": seconds = Long.parseLong(args[++i]); break;
                case "--clients": clients = Integer.parseInt(args[++i]); break;
                case "--period-ms": periodMs = Long.parseLong(args[++i]); break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --seconds N --clients N --period-ms N");
            }
        }
        System.exit(run(seconds, clients, periodMs) ? 0 : 1);
    }

    static boolean run(long seconds, int clients, long periodMs) throws Exception {
        Path scratch = Files.createTempDirectory("plugin-server-demo");
        Path dir = Files.createDirectories(scratch.resolve("plugins"));
        GreeterPlugin plugin = GreeterPlugin.compile(scratch.resolve("build"));
        plugin.writeVersion(scratch, dir, 1);
        AtomicLong written = new AtomicLong(1);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        boolean ok;
        try (PluginServer server = new PluginServer(dir, Math.max(4, clients))) {
            URI base = URI.create("http://127.0.0.1:" + server.port() + "/greeter/");
            for (int i = 0; i < 500; i++) { // warm up: JIT, connections, the first load
                send(http, base.resolve("warmup"));
            }
            long filesBefore = OpenFiles.regularFiles();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);

            List<Client> results = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                Client mine = new Client();
                results.add(mine);
                int id = c;
                Thread t = new Thread(() -> drive(http, base.resolve("hello-" + id), server, mine, deadline),
                        "client-" + c);
                threads.add(t);
            }
            ScheduledExecutorService upgrader = Executors.newSingleThreadScheduledExecutor();
            upgrader.scheduleAtFixedRate(() -> {
                try {
                    if (System.nanoTime() - deadline < 0) {
                        plugin.writeVersion(scratch, dir, written.incrementAndGet());
                    }
                } catch (IOException e) {
                    System.err.println("writing a plugin version failed: " + e);
                }
            }, periodMs, periodMs, TimeUnit.MILLISECONDS);
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            upgrader.shutdown();
            upgrader.awaitTermination(10, TimeUnit.SECONDS);
            long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.liveVersion("greeter") < written.get() && System.nanoTime() - settle < 0) {
                Thread.sleep(10); // the watcher takes the last jar
            }

            // every class loader retired so far must be collectable: nothing of the host keeps it
            long retired = server.host().retiredLoaders();
            long gcDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (server.host().collectedLoaders() < retired && System.nanoTime() - gcDeadline < 0) {
                System.gc();
                Thread.sleep(50);
            }
            long collected = Math.min(retired, server.host().collectedLoaders());
            long filesAfter = OpenFiles.regularFiles();

            Client all = new Client();
            for (Client r : results) {
                all.steady.add(r.steady);
                all.upgrading.add(r.upgrading);
                all.requests += r.requests;
                all.failed += r.failed;
                all.wrong += r.wrong;
                if (all.firstProblem == null) {
                    all.firstProblem = r.firstProblem;
                }
            }
            long upgrades = server.upgradesEnded() - server.upgradeFailures();
            System.out.printf("plugin-server demo: %d s, %d clients, a new plugin version"
                    + " every %d ms (JDK %s, %d CPUs)%n",
                    seconds, clients, periodMs, Runtime.version(), Runtime.getRuntime().availableProcessors());
            System.out.printf("requests            %d (%.0f/s)%n", all.requests, all.requests / (double) seconds);
            System.out.printf("failed requests     %d%n", all.failed);
            System.out.printf("wrong-version       %d (a version older than the last upgrade that had returned)%n",
                    all.wrong);
            System.out.printf("upgrades            %d done, %d failed (last version %d, %d jars written)%n",
                    upgrades, server.upgradeFailures(), server.liveVersion("greeter"), written.get());
            System.out.printf("upgrade call        %.2f ms mean, %.2f ms max (host.upgrade on the watcher thread)%n",
                    server.upgradeNanos() / 1e6 / Math.max(1, server.upgradesEnded()), server.upgradeMaxNanos() / 1e6);
            System.out.printf("latency steady      %s  (%d requests)%n", percentiles(all.steady),
                    all.steady.getTotalCount());
            System.out.printf("latency upgrading   %s  (%d requests overlapping an upgrade)%n",
                    percentiles(all.upgrading), all.upgrading.getTotalCount());
            System.out.printf("old class loaders   %d collected of %d retired%n", collected, retired);
            System.out.printf("open files          %d before, %d after (regular files; sockets not counted)%n",
                    filesBefore, filesAfter);
            if (all.firstProblem != null) {
                System.out.println("first problem       " + all.firstProblem);
            }
            long steadyP99 = all.steady.getValueAtPercentile(99);
            long upgradingP99 = all.upgrading.getValueAtPercentile(99);
            System.out.printf("p99 upgrading / p99 steady = %.2f%n",
                    steadyP99 == 0 ? 0.0 : upgradingP99 / (double) steadyP99);
            ok = all.failed == 0 && all.wrong == 0 && collected == retired && filesAfter <= filesBefore && upgrades > 0;
            System.out.println(ok ? "PASS" : "FAIL");
        }
        deleteTree(scratch);
        return ok;
    }

    /** One client: requests in a loop until the deadline, each classified steady or upgrading. */
    private static void drive(HttpClient http, URI uri, PluginServer server, Client me, long deadline) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
        while (System.nanoTime() - deadline < 0) {
            long endedBefore = server.upgradesEnded();
            long startedBefore = server.upgradesStarted();
            long floor = server.liveVersion("greeter");
            long t0 = System.nanoTime();
            String problem = null;
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    me.failed++;
                    problem = "HTTP " + r.statusCode() + ": " + r.body().trim();
                } else {
                    long v = version(r.body());
                    if (v < floor) {
                        me.wrong++;
                        problem = "got version " + v + " after the upgrade to " + floor + " had returned";
                    }
                }
            } catch (IOException | RuntimeException e) {
                me.failed++;
                problem = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long micros = (System.nanoTime() - t0) / 1_000;
            boolean overlapped = startedBefore != endedBefore || server.upgradesStarted() != startedBefore;
            (overlapped ? me.upgrading : me.steady).recordValue(Math.min(micros, me.steady.getHighestTrackableValue()));
            me.requests++;
            if (problem != null && me.firstProblem == null) {
                me.firstProblem = problem;
            }
        }
    }

    private static long version(String body) {
        int at = body.indexOf("v=");
        int end = body.indexOf(' ', at);
        return Long.parseLong(body.substring(at + 2, end));
    }

    private static String send(HttpClient http, URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String percentiles(Histogram h) {
        return String.format("p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms", h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
