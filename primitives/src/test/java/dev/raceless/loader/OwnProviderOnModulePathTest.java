package dev.raceless.loader;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.spi.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The module-path form of {@link OwnProviderTest}: a named module {@code hostdefault} in a layer
 * above the test's own declares {@code provides PluginService}; ServiceLoader lists such providers
 * before any META-INF/services entry, yet the plugin gets its own.
 */
class OwnProviderOnModulePathTest {
    @TempDir
    Path dir;

    @Test
    void thePluginsOwnProviderWinsOverANamedModulesProvider() throws Exception {
        Assumptions.assumeTrue(PluginService.class.getModule().isNamed(), "the tests run on the class path");
        ClassLoader layerLoader = hostDefaultLayer();
        PluginService.class.getModule().addUses(PluginService.class); // for the sanity check below
        assertEquals("host default",
                ServiceLoader.load(PluginService.class, layerLoader).findFirst().orElseThrow().greet("x"),
                "sanity: the layer's module provides the service");
        PluginJars.build(dir.resolve("greeter.jar"), "hello", "v1", true);
        try (PluginHost<PluginService> host = new PluginHost<>(PluginService.class, name -> dir.resolve(name + ".jar"),
                layerLoader, ModuleLoader.Style.THREE_POINT)) {
            assertEquals("hello x v1", host.call("greeter", s -> s.greet("x")));
        }
    }

    /** Compiles module hostdefault and defines it in a layer over the boot layer; returns its loader. */
    private ClassLoader hostDefaultLayer() throws IOException, URISyntaxException {
        Path src = dir.resolve("hostdefault-src");
        Files.createDirectories(src.resolve("hostdefault"));
        Files.writeString(src.resolve("module-info.java"), "module hostdefault {\n  requires dev.raceless;\n"
                + "  provides dev.raceless.loader.PluginService with hostdefault.Impl;\n}\n");
        Files.writeString(src.resolve("hostdefault/Impl.java"), "package hostdefault;\n"
                + "public final class Impl implements dev.raceless.loader.PluginService {\n"
                + "  public String greet(String who) { return \"host default\"; }\n}\n");
        Path out = dir.resolve("hostdefault-mod");
        String main = Path.of(PluginHost.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        String tests =
                Path.of(PluginService.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
        int rc = ToolProvider.findFirst("javac").orElseThrow().run(print, print, "--release", "17",
                "--module-path", main, "--patch-module", "dev.raceless=" + tests, "-d", out.toString(),
                src.resolve("module-info.java").toString(), src.resolve("hostdefault/Impl.java").toString());
        assertEquals(0, rc, log.toString(StandardCharsets.UTF_8));
        Configuration cf = ModuleLayer.boot().configuration().resolve(ModuleFinder.of(out), ModuleFinder.of(),
                Set.of("hostdefault"));
        return ModuleLayer.boot().defineModulesWithOneLoader(cf,
                PluginService.class.getClassLoader()).findLoader("hostdefault");
    }
}
