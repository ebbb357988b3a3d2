package dev.raceless.example.pluginserver;

import dev.raceless.loader.LoadException;
import dev.raceless.loader.PluginBinding;
import dev.raceless.loader.PluginHost;
import dev.raceless.loader.ReloadResult;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP server on the JDK's {@code com.sun.net.httpserver}: {@code GET /{plugin}/rest}
 * calls plugin {@code plugin} of a {@link PluginHost} with {@code /rest}. Plugins are jars named
 * {@code <plugin>-<version>.jar} in one directory; a {@link WatchService} on it upgrades a plugin
 * ({@link PluginHost#upgrade}) when a jar of a higher version appears, and deletes the jar it
 * replaced (the host runs each plugin from a private copy). Write new jars into the directory
 * atomically (write elsewhere, then move): a half-written jar fails to load and leaves the old
 * version serving.
 *
 * <p>Requests reach a plugin through a {@link PluginBinding} per plugin name, made on the first
 * request and kept: no lookup by name inside the host on the request path, and an upgrade or
 * unload is followed as {@code host.call(name, fn)} would follow it.
 *
 * <p>Responses: 200 with the plugin's answer; 404 for a plugin with no jar; 503 if a plugin fails
 * to load.
 *
 * <p>Run alone with {@code run.sh serve --port 8080 --plugins DIR} ({@link Main}): every upgrade
 * is logged on standard output.
 */
public final class PluginServer implements AutoCloseable {
    private static final Pattern JAR = Pattern.compile("(.+)-(\\d+)\\.jar");

    private final Path dir;
    private final PluginHost<RequestHandler> host;
    private final HttpServer http;
    private final ExecutorService workers;
    private final WatchService watcher;
    private final Thread watching;
    private final Map<String, Long> versions = new ConcurrentHashMap<>(); // the version live (upgrade returned)
    private final Map<String, Path> jars = new ConcurrentHashMap<>();
    /** The router's binding per plugin name, made on the first request for it. */
    private final Map<String, PluginBinding<RequestHandler>> bindings = new ConcurrentHashMap<>();
    private final Consumer<String> log;
    private final AtomicLong upgradesStarted = new AtomicLong();
    private final AtomicLong upgradesEnded = new AtomicLong();
    private final AtomicLong upgradeFailures = new AtomicLong();
    private final AtomicLong upgradeNanos = new AtomicLong();
    private final AtomicLong upgradeMaxNanos = new AtomicLong();

    static {
        // The JDK server writes headers and body separately: without TCP_NODELAY, Nagle's
        // algorithm and the client's delayed ACK add about 40 ms to every keep-alive response.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** Starts a server on a free loopback port for the plugin jars in {@code dir}; logs nothing. */
    public PluginServer(Path dir, int threads) throws IOException {
        this(dir, threads, 0, line -> { });
    }

    /**
     * Starts a server on {@code port} of the loopback address (0: a free port) for the plugin jars
     * in {@code dir}, logging upgrades to {@code log}.
     */
    public PluginServer(Path dir, int threads, int port, Consumer<String> log) throws IOException {
        this.dir = dir;
        this.log = log;
        scan();
        this.host = new PluginHost<>(RequestHandler.class, this::jarOf);
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "http-worker");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(workers);
        http.createContext("/", this::serve);
        this.watcher = dir.getFileSystem().newWatchService();
        dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        this.watching = new Thread(this::watch, "plugin-dir-watcher");
        watching.setDaemon(true);
        watching.start();
        http.start();
    }

    /** The server's port on the loopback address. */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The host behind the server. */
    public PluginHost<RequestHandler> host() {
        return host;
    }

    /** The version of {@code plugin} whose upgrade (or first load) has returned; 0 if none. */
    public long liveVersion(String plugin) {
        return versions.getOrDefault(plugin, 0L);
    }

    /** {@return the plugins with a jar in the directory and the version each serves (a copy)} */
    public Map<String, Long> plugins() {
        return Map.copyOf(versions);
    }

    /** Upgrades begun. Read with {@link #upgradesEnded()} to tell whether one was in progress. */
    public long upgradesStarted() {
        return upgradesStarted.get();
    }

    /** Upgrades that have returned (successfully or not). */
    public long upgradesEnded() {
        return upgradesEnded.get();
    }

    /** Total time spent in {@code host.upgrade}, in nanoseconds. */
    public long upgradeNanos() {
        return upgradeNanos.get();
    }

    /** The longest {@code host.upgrade}, in nanoseconds. */
    public long upgradeMaxNanos() {
        return upgradeMaxNanos.get();
    }

    /** Upgrades that threw (the old version kept serving). */
    public long upgradeFailures() {
        return upgradeFailures.get();
    }

    private Path jarOf(String plugin) {
        Path p = jars.get(plugin);
        return p != null ? p : dir.resolve(plugin + "-0.jar"); // no such file: the load fails, 404
    }

    /** Records the highest version of every plugin jar already in the directory. */
    private void scan() throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path p : s) {
                Matcher m = JAR.matcher(p.getFileName().toString());
                if (m.matches()) {
                    long v = Long.parseLong(m.group(2));
                    if (v > versions.getOrDefault(m.group(1), 0L)) {
                        versions.put(m.group(1), v);
                        jars.put(m.group(1), p);
                    }
                }
            }
        }
    }

    private void serve(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            int slash = path.indexOf('/', 1);
            String plugin = slash < 0 ? path.substring(1) : path.substring(1, slash);
            String rest = slash < 0 ? "/" : path.substring(slash);
            int status;
            String body;
            if (plugin.isEmpty() || !jars.containsKey(plugin)) {
                status = 404;
                body = "no plugin " + plugin + "\n";
            } else {
                try {
                    body = bindings.computeIfAbsent(plugin, host::bind).call(h -> h.handle(rest));
                    status = 200;
                } catch (LoadException e) {
                    status = 503;
                    body = e.getMessage() + "\n";
                }
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private void watch() {
        try {
            for (;;) {
                WatchKey key = watcher.take();
                for (WatchEvent<?> e : key.pollEvents()) {
                    if (e.context() instanceof Path) {
                        offer(dir.resolve((Path) e.context()));
                    }
                }
                key.reset();
            }
        } catch (InterruptedException | ClosedWatchServiceException stop) {
            // closed
        }
    }

    /** A jar appeared: upgrade its plugin if it is a higher version. */
    private void offer(Path jar) throws InterruptedException {
        Matcher m = JAR.matcher(jar.getFileName().toString());
        if (!m.matches() || !Files.exists(jar)) {
            return;
        }
        String plugin = m.group(1);
        long version = Long.parseLong(m.group(2));
        if (version <= versions.getOrDefault(plugin, 0L)) {
            return;
        }
        Path old = jars.get(plugin);
        upgradesStarted.incrementAndGet();
        try {
            jars.put(plugin, jar);
            long t0 = System.nanoTime();
            ReloadResult r = host.upgrade(plugin, jar);
            long took = System.nanoTime() - t0;
            upgradeNanos.addAndGet(took);
            upgradeMaxNanos.accumulateAndGet(took, Math::max);
            versions.put(plugin, version); // after upgrade returned: every later request gets it
            log.accept((r == ReloadResult.RELOADED ? "upgraded plugin " : "loaded plugin ") + plugin + " to version "
                    + version + " (" + jar.getFileName() + ") in " + String.format(java.util.Locale.ROOT, "%.1f ms",
                    took / 1e6) + "; requests from now on get version " + version);
            if (old != null && !old.equals(jar)) {
                Files.deleteIfExists(old); // the host ran it from a private copy
            }
        } catch (LoadException | IOException e) {
            upgradeFailures.incrementAndGet();
            if (old != null) {
                jars.put(plugin, old);
            }
            System.err.println("upgrade of plugin " + plugin + " to " + jar.getFileName() + " failed, version "
                    + versions.getOrDefault(plugin, 0L) + " serves on: " + e.getMessage());
        } finally {
            upgradesEnded.incrementAndGet();
        }
    }

    @Override
    public void close() throws IOException {
        http.stop(0);
        watcher.close();
        watching.interrupt();
        try {
            watching.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
        host.close();
    }
}
