package dev.raceless.loader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plugin's service comes from its own jar, even when the host's class path (the plugins'
 * parent class loader) also provides the service type, as an API jar with a default
 * implementation does. ServiceLoader lists the parent's providers first; the host skips every
 * provider whose class was not defined by the plugin's own class loader.
 */
class OwnProviderTest {
    @TempDir
    Path dir;

    @Test
    void thePluginsOwnProviderWinsOverOneOnTheHostsClassPath() throws IOException {
        Path hostJar =
                PluginJars.build(dir.resolve("host-default.jar"), "hostdefault", "host", "default", true, Map.of());
        PluginJars.build(dir.resolve("greeter.jar"), "hello", "v1", true);
        PluginJars.build(dir.resolve("other.jar"), "otherplugin", "hi", "v9", true, Map.of());
        try (URLClassLoader hostPath =
                new URLClassLoader(new URL[] {hostJar.toUri().toURL()}, PluginService.class.getClassLoader());
             PluginHost<PluginService> host = new PluginHost<>(PluginService.class, name -> dir.resolve(name + ".jar"),
                     hostPath, ModuleLoader.Style.THREE_POINT)) {
            assertEquals("hello x v1", host.call("greeter", s -> s.greet("x")));
            assertEquals("hi x v9", host.call("other", s -> s.greet("x")));
        }
    }

    @Test
    void aJarWhoseOnlyProviderIsTheHostsFailsToLoad() throws IOException {
        Path hostJar =
                PluginJars.build(dir.resolve("host-default.jar"), "hostdefault", "host", "default", true, Map.of());
        PluginJars.build(dir.resolve("empty.jar"), "hello", "v1", false);
        try (URLClassLoader hostPath =
                new URLClassLoader(new URL[] {hostJar.toUri().toURL()}, PluginService.class.getClassLoader());
             PluginHost<PluginService> host = new PluginHost<>(PluginService.class, name -> dir.resolve(name + ".jar"),
                     hostPath, ModuleLoader.Style.THREE_POINT)) {
            LoadException e = assertThrows(LoadException.class, () -> host.call("empty", s -> s.greet("x")));
            assertTrue(e.getMessage().contains("of its own"), e.getMessage());
        }
    }
}
