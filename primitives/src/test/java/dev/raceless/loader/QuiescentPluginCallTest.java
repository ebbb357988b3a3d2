package dev.raceless.loader;

import dev.raceless.grace.QuiescentDomain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link PluginHost} in quiescent mode: {@link PluginBinding#call(QuiescentDomain.Reader,
 * java.util.function.Function)} by an online reader runs with the plugin's class loader as the
 * context class loader and follows upgrades; an upgrade from inside such a call is refused.
 */
class QuiescentPluginCallTest {
    @TempDir
    Path dir;

    @Test
    void anUncountedPluginCallFollowsUpgradesAndCannotUpgradeItself() throws Exception {
        PluginJars.build(dir.resolve("greeter.jar"), "hello", "v1", true);
        PluginJars.build(dir.resolve("greeter-2.jar"), "hi", "v2", true);
        QuiescentDomain domain = new QuiescentDomain();
        try (PluginHost<PluginService> host = new PluginHost<>(PluginService.class, n -> dir.resolve(n + ".jar"),
                PluginService.class.getClassLoader(), ModuleLoader.Style.THREE_POINT, Duration.ZERO,
                (n, f) -> { }, domain);
             QuiescentDomain.Reader reader = domain.register()) {
            PluginBinding<PluginService> greeter = host.bind("greeter");
            assertEquals("hello x v1", greeter.call(reader, s -> s.greet("x")), "loads (counted, offline)");
            boolean contextIsThePlugins = greeter.call(reader,
                    s -> Thread.currentThread().getContextClassLoader() == s.getClass().getClassLoader());
            assertTrue(contextIsThePlugins, "an uncounted call runs with the plugin's context class loader");

            Path v2 = dir.resolve("greeter-2.jar");
            IllegalStateException e = greeter.call(reader, s -> assertThrows(IllegalStateException.class,
                    () -> host.upgrade("greeter", v2)));
            assertTrue(e.getMessage().contains("inside an uncounted call"), e.getMessage());
            assertEquals("hello x v1", greeter.call(reader, s -> s.greet("x")), "nothing was changed");

            assertEquals(ReloadResult.RELOADED, host.upgrade("greeter", v2));
            assertEquals("hi x v2", greeter.call(reader, s -> s.greet("x")), "the next call reaches version 2");
            assertEquals(UnloadResult.UNLOADED, host.unload("greeter"));
        } finally {
            domain.close();
        }
    }
}
