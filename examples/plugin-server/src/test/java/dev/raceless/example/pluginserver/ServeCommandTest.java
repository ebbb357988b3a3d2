package dev.raceless.example.pluginserver;

import dev.raceless.loader.PluginHost;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code serve} as a user runs it: started as a process of its own on a free loopback port, it
 * answers an HTTP request for the plugin in its directory, logs the upgrade when a higher version
 * is dropped into the directory, and answers from the new version after that log line.
 */
class ServeCommandTest {
    private static final Pattern LISTENING = Pattern.compile(".*listening on http://127\\.0\\.0\\.1:(\\d+)/.*");

    @TempDir
    Path dir;

    @Test
    void serveAnswersAndUpgradesWhenANewJarIsDropped() throws Exception {
        GreeterPlugin plugin = GreeterPlugin.compile(dir.resolve("build"));
        Path plugins = dir.resolve("plugins");
        java.nio.file.Files.createDirectories(plugins);
        plugin.writeVersion(plugins, 1);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = String.join(File.pathSeparator, location(Main.class), location(PluginHost.class),
                location(Histogram.class));
        Process server = new ProcessBuilder(java, "-cp", cp, Main.class.getName(), "serve", "--port", "0",
                "--plugins", plugins.toString()).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    lines.add(line);
                }
            } catch (java.io.IOException closed) {
                // the process ended
            }
        }, "serve-output");
        reader.setDaemon(true);
        reader.start();
        try {
            Matcher listening = LISTENING.matcher(awaitLine(lines, "listening on", output));
            assertTrue(listening.matches());
            URI base = URI.create("http://127.0.0.1:" + listening.group(1) + "/greeter/hi");
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> first = get(http, base);
            assertEquals(200, first.statusCode(), first.body());
            assertEquals("greeter v=1 path=/hi", first.body());

            plugin.writeVersion(plugins, 2); // dropped in, as a user copies a jar in
            String upgraded = awaitLine(lines, "upgraded plugin greeter to version 2", output);
            assertTrue(upgraded.contains("(greeter-2.jar)"), upgraded);
            HttpResponse<String> second = get(http, base);
            assertEquals("greeter v=2 path=/hi", second.body(), "after the upgrade's log line, version 2 answers");
            URI nothing = URI.create("http://127.0.0.1:" + listening.group(1) + "/nothing/");
            assertEquals(404, get(http, nothing).statusCode());
        } finally {
            server.destroy(); // SIGTERM: the shutdown hook closes the server
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        }
    }

    private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The next output line containing {@code text}; fails after a watchdog of 60 s. */
    private static String awaitLine(BlockingQueue<String> lines, String text, StringBuilder output) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (;;) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                synchronized (output) {
                    throw new AssertionError("no line with \"" + text + "\" from serve; its output:\n" + output);
                }
            }
            if (line.contains(text)) {
                return line;
            }
        }
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

}
