package dev.raceless.example.pluginserver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * The demo's plugin, {@code greeter}: compiled once at run time (it must not be on the server's
 * class path), then packed into one jar per version. Version {@code v}'s handler answers
 * {@code "greeter v=<v> path=<path>"}, the version read from a resource of its own jar.
 */
final class GreeterPlugin {
    private static final String SOURCE = String.join("\n",
            "package greeterplugin;",
            "",
            "public final class Greeter implements dev.raceless.example.pluginserver.RequestHandler {",
            "    private final String version;",
            "",
            "    public Greeter() throws java.io.IOException {",
            "        try (java.io.InputStream in = "
                    + "Greeter.class.getResourceAsStream(\"/greeterplugin/version.txt\")) {",
            "            version = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();",
            "        }",
            "    }",
            "",
            "    @Override",
            "    public String handle(String path) {",
            "        return \"greeter v=\" + version + \" path=\" + path;",
            "    }",
            "}",
            "");

    private final Map<String, byte[]> classes;

    private GreeterPlugin(Map<String, byte[]> classes) {
        this.classes = classes;
    }

    /** Compiles the plugin in a scratch directory under {@code scratch}. */
    static GreeterPlugin compile(Path scratch) throws IOException {
        Path src = scratch.resolve("src/greeterplugin");
        Path out = scratch.resolve("classes");
        Files.createDirectories(src);
        Files.createDirectories(out);
        Files.writeString(src.resolve("Greeter.java"), SOURCE);
        ToolProvider javac = ToolProvider.findFirst("javac")
                .orElseThrow(() -> new IllegalStateException("the demo compiles its plugin: run it on a JDK"));
        String api;
        try {
            api = Path.of(RequestHandler.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
        int rc = javac.run(print, print, "--release", "17", "-classpath", api, "-d", out.toString(),
                src.resolve("Greeter.java").toString());
        if (rc != 0) {
            throw new IOException("javac failed: " + log.toString(StandardCharsets.UTF_8));
        }
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(out)) {
            for (Path c : (Iterable<Path>) s.filter(p -> p.toString().endsWith(".class"))::iterator) {
                files.put(out.relativize(c).toString().replace('\\', '/'), Files.readAllBytes(c));
            }
        }
        return new GreeterPlugin(files);
    }

    /**
     * Writes {@code dir/greeter-<version>.jar} atomically: built in {@code scratch}, then moved
     * into {@code dir}, so a watcher of {@code dir} never sees a half-written jar.
     */
    Path writeVersion(Path scratch, Path dir, long version) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        Path tmp = Files.createTempFile(scratch, ".greeter", ".jar.tmp");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp), manifest)) {
            for (Map.Entry<String, byte[]> c : classes.entrySet()) {
                put(out, c.getKey(), c.getValue());
            }
            put(out, "META-INF/services/" + RequestHandler.class.getName(),
                    "greeterplugin.Greeter\n".getBytes(StandardCharsets.UTF_8));
            put(out, "greeterplugin/version.txt", Long.toString(version).getBytes(StandardCharsets.UTF_8));
        }
        return Files.move(tmp, dir.resolve("greeter-" + version + ".jar"), StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Writes {@code dir/greeter-<version>.jar} atomically through a temporary file in {@code dir}
     * itself (a move within one file system; the watcher ignores names that are not
     * {@code <plugin>-<version>.jar}).
     */
    Path writeVersion(Path dir, long version) throws IOException {
        return writeVersion(dir, dir, version);
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }
}
