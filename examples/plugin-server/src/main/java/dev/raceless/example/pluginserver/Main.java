package dev.raceless.example.pluginserver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * The example's commands ({@code run.sh COMMAND ...}):
 * <ul>
 * <li>{@code serve --port N --plugins DIR [--threads N]}: runs the {@link PluginServer} alone on
 *     {@code 127.0.0.1:N} (0: a free port), serving the plugin jars in {@code DIR} (made if
 *     missing) and upgrading a plugin when a higher {@code <plugin>-<version>.jar} appears there;
 *     logs its address and every upgrade on standard output; runs until stopped (Ctrl-C).
 * <li>{@code jar --version N --into DIR}: writes version N of the demo plugin as
 *     {@code DIR/greeter-N.jar}, atomically (a running server upgrades to it).
 * <li>anything else ({@code --seconds N [--clients N] [--period-ms N]}): the {@link LoadDriver}.
 * </ul>
 */
public final class Main {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("serve")) {
            serve(Arrays.copyOfRange(args, 1, args.length));
        } else if (args.length > 0 && args[0].equals("jar")) {
            jar(Arrays.copyOfRange(args, 1, args.length));
        } else {
            LoadDriver.main(args);
        }
    }

    private static void serve(String[] args) throws Exception {
        int port = 8080;
        int threads = 8;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port": port = Integer.parseInt(value(args, ++i)); break;
                case "--plugins": dir = Path.of(value(args, ++i)); break;
                case "--threads": threads = Integer.parseInt(value(args, ++i)); break;
                default: throw usage("serve: unknown argument " + args[i]);
            }
        }
        if (dir == null) {
            throw usage("serve: --plugins DIR is required");
        }
        Files.createDirectories(dir);
        PluginServer server = new PluginServer(dir.toAbsolutePath(), threads, port, Main::log);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
                log("stopped");
            } catch (Exception e) {
                System.err.println("closing the server failed: " + e);
            } finally {
                stopped.countDown();
            }
        }, "plugin-server-shutdown"));
        log("listening on http://127.0.0.1:" + server.port() + "/{plugin}/... ; plugins from " + dir.toAbsolutePath()
                + " (jars named <plugin>-<version>.jar; drop a higher version to upgrade)");
        server.plugins().forEach((plugin, version) -> log("plugin " + plugin + " version " + version
                + " at http://127.0.0.1:" + server.port() + "/" + plugin + "/"));
        stopped.await();
    }

    private static void jar(String[] args) throws Exception {
        long version = -1;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--version": version = Long.parseLong(value(args, ++i)); break;
                case "--into": dir = Path.of(value(args, ++i)); break;
                default: throw usage("jar: unknown argument " + args[i]);
            }
        }
        if (version < 1 || dir == null) {
            throw usage("jar: --version N (1 or more) and --into DIR are required");
        }
        Files.createDirectories(dir);
        Path scratch = Files.createTempDirectory("greeter-build");
        Path jar = GreeterPlugin.compile(scratch).writeVersion(dir, version);
        System.out.println("wrote " + jar);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw usage(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static IllegalArgumentException usage(String what) {
        return new IllegalArgumentException(what + "; usage: serve --port N --plugins DIR [--threads N] | "
                + "jar --version N --into DIR | --seconds N [--clients N] [--period-ms N]");
    }

    /** One log line on standard output, with the time of day. */
    static void log(String line) {
        System.out.println(LocalTime.now().format(TIME) + " plugin-server: " + line);
        System.out.flush();
    }
}
