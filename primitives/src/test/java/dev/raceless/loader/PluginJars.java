package dev.raceless.loader;

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
 * Test support: builds a tiny plugin jar for {@link PluginHost} tests. The plugin's class
 * {@code testplugin.Greeter} implements {@link PluginService} (and {@link AutoCloseable}); it is
 * compiled from source at test time (once per JVM) and packed with its {@code META-INF/services}
 * entry and a resource, {@code testplugin/data.txt}, that holds what its calls answer: jars with
 * different resources are different versions of the plugin.
 *
 * <p>Every call reads that resource through its own class loader with URL caching off, so a call
 * that reaches a closed URLClassLoader fails (a closed loader finds no resource; with caching off
 * no JarFile shared through the JDK's global jar cache can mask that), and the first call loads a
 * second class, {@code testplugin.Helper}, from the jar. A call also fails if the service was
 * closed (destroyed) before or during it.
 *
 * <p>The compiler is reached with {@code java.util.spi.ToolProvider.findFirst("javac")}, which
 * lives in java.base: surefire runs these tests on the module path, patched into module
 * dev.raceless, which does not read java.compiler, so {@code javax.tools.ToolProvider} does not
 * compile here without changing the build.
 */
final class PluginJars {
    static final String RESOURCE = "testplugin/data.txt";

    private PluginJars() {
    }

    private static final String GREETER = String.join("\n",
            "package testplugin;",
            "",
            "public final class Greeter implements dev.raceless.loader.PluginService, AutoCloseable {",
            "    private volatile boolean closed;",
            "",
            "    @Override",
            "    public String greet(String who) {",
            "        if (closed) {",
            "            throw new IllegalStateException(\"call into a destroyed plugin\");",
            "        }",
            "        String data;",
            "        try {",
            "            java.net.URL url = Greeter.class.getClassLoader().getResource(\"" + RESOURCE + "\");",
            "            if (url == null) {",
            "                throw new IllegalStateException(\"resource gone: call into a closed class loader\");",
            "            }",
            "            java.net.URLConnection c = url.openConnection();",
            "            c.setUseCaches(false);",
            "            try (java.io.InputStream in = c.getInputStream()) {",
            "                data = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);",
            "            }",
            "        } catch (java.io.IOException e) {",
            "            throw new IllegalStateException(\"reading the plugin's own jar failed\", e);",
            "        }",
            "        String result = Helper.format(data, who);",
            "        if (closed) {",
            "            throw new IllegalStateException(\"plugin destroyed during a call\");",
            "        }",
            "        return result;",
            "    }",
            "",
            "    @Override",
            "    public void close() {",
            "        closed = true;",
            "    }",
            "}",
            "");

    private static final String HELPER = String.join("\n",
            "package testplugin;",
            "",
            "final class Helper {",
            "    /** data is \"greeting|suffix\"; returns \"greeting who suffix\". */",
            "    static String format(String data, String who) {",
            "        int bar = data.indexOf('|');",
            "        return data.substring(0, bar) + \" \" + who + \" \" + data.substring(bar + 1);",
            "    }",
            "}",
            "");

    /** The plugins' class files by package and extras, compiled once per test JVM (javac is the slow part). */
    private static final Map<String, Map<String, byte[]>> compiled = new java.util.HashMap<>();

    /**
     * Builds the plugin jar at {@code jar} (replacing it atomically if it exists): its calls
     * return {@code greeting + " " + who + " " + data}.
     *
     * @param withService whether to list the service in META-INF/services (false: a broken plugin)
     */
    static Path build(Path jar, String greeting, String data, boolean withService) throws IOException {
        return build(jar, "testplugin", greeting, data, withService, Map.of());
    }

    /**
     * Builds a plugin jar whose classes live in package {@code pkg} ({@code pkg.Greeter},
     * {@code pkg.Helper}, resource {@code pkg/data.txt}), plus {@code extra} sources (simple class
     * name to source text, in {@code pkg}; {@code "Greeter"} replaces the standard one). Jars of
     * different packages or extras are different plugins, compiled once each.
     */
    static Path build(Path jar, String pkg, String greeting, String data, boolean withService,
                      Map<String, String> extra) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        Path tmp = Files.createTempFile(jar.getParent(), "plugin", ".jar.tmp");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp), manifest)) {
            for (Map.Entry<String, byte[]> c : classFiles(jar.getParent(), pkg, extra).entrySet()) {
                put(out, c.getKey(), c.getValue());
            }
            if (withService) {
                put(out, "META-INF/services/" + PluginService.class.getName(),
                        (pkg + ".Greeter\n").getBytes(StandardCharsets.UTF_8));
            }
            put(out, pkg + "/data.txt", (greeting + "|" + data).getBytes(StandardCharsets.UTF_8));
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return jar;
    }

    /** Compiles the plugin's sources in a scratch directory under {@code scratch}, once. */
    private static synchronized Map<String, byte[]> classFiles(Path scratch, String pkg, Map<String, String> extra)
            throws IOException {
        String id = pkg + new TreeMap<>(extra);
        if (!compiled.containsKey(id)) {
            Path work = Files.createTempDirectory(scratch, "plugin-src");
            Path src = work.resolve("src/" + pkg);
            Path classes = work.resolve("classes");
            Files.createDirectories(src);
            Files.createDirectories(classes);
            Map<String, String> sources = new TreeMap<>();
            sources.put("Greeter", GREETER);
            sources.put("Helper", HELPER);
            sources.putAll(extra);
            java.util.List<Path> sourceFiles = new java.util.ArrayList<>();
            for (Map.Entry<String, String> e : sources.entrySet()) {
                Path f = src.resolve(e.getKey() + ".java");
                Files.writeString(f, e.getValue().replace("package testplugin;", "package " + pkg + ";")
                        .replace("testplugin/data.txt", pkg + "/data.txt"));
                sourceFiles.add(f);
            }
            compile(classes, sourceFiles.toArray(new Path[0]));
            Map<String, byte[]> files = new TreeMap<>();
            try (Stream<Path> s = Files.walk(classes)) {
                for (Path c : (Iterable<Path>) s.filter(p -> p.toString().endsWith(".class"))::iterator) {
                    files.put(classes.relativize(c).toString().replace('\\', '/'), Files.readAllBytes(c));
                }
            }
            compiled.put(id, files);
        }
        return compiled.get(id);
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }

    private static void compile(Path classes, Path... sources) throws IOException {
        ToolProvider javac = ToolProvider.findFirst("javac")
                .orElseThrow(() -> new IllegalStateException("no javac in this runtime: the plugin tests need a JDK"));
        String hostClasses;
        try {
            hostClasses =
                    Path.of(PluginService.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
        String[] args = Stream.concat(
                Stream.of("--release", "17", "-classpath", hostClasses, "-d", classes.toString()),
                Stream.of(sources).map(Path::toString)).toArray(String[]::new);
        int rc = javac.run(print, print, args);
        if (rc != 0) {
            throw new IOException("javac failed (" + rc + "): " + log.toString(StandardCharsets.UTF_8));
        }
    }
}
