package dev.raceless.loader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PluginBinding}: calls follow upgrades and unloads, with the plugin's class loader as the
 * context class loader, and a binding kept after an upgrade does not keep the old version's class
 * loader reachable (the whenCollected proof).
 */
class PluginBindingTest {
    @TempDir
    Path dir;

    @Test
    void aBindingFollowsUpgradesAndUnloadsAndKeepsNoOldClassLoader() throws Exception {
        PluginJars.build(dir.resolve("greeter.jar"), "hello", "v1", true);
        PluginJars.build(dir.resolve("greeter-2.jar"), "hi", "v2", true);
        try (PluginHost<PluginService> host = new PluginHost<>(PluginService.class, n -> dir.resolve(n + ".jar"))) {
            PluginBinding<PluginService> greeter = host.bind("greeter");
            assertEquals("greeter", greeter.name());
            assertEquals("hello x v1", greeter.call(s -> s.greet("x")));
            boolean contextIsThePlugins = greeter.call(
                    s -> Thread.currentThread().getContextClassLoader() == s.getClass().getClassLoader());
            assertTrue(contextIsThePlugins, "a call runs with the plugin's class loader as the context class loader");
            assertEquals(ReloadResult.RELOADED, host.upgrade("greeter", dir.resolve("greeter-2.jar")));
            assertEquals("hi x v2", greeter.call(s -> s.greet("x")), "the next call reaches version 2");

            CompletableFuture<Void> collected = host.whenCollected("greeter");
            for (int attempt = 0; attempt < 100 && !collected.isDone(); attempt++) {
                System.gc();
                Thread.sleep(20); // let the cleaner run; a pause, not a measured wait
            }
            assertTrue(collected.isDone(), "version 1's class loader was collected while the binding is kept");

            assertEquals(UnloadResult.UNLOADED, host.unload("greeter"));
            assertEquals(null, greeter.tryAcquire(), "unloaded: tryAcquire loads nothing");
            try (ModuleLoader.Handle<PluginHost.Plugin<PluginService>> h = greeter.acquire()) {
                assertEquals("hi x v2", h.module().service().greet("x"), "acquire loads it again");
                try (ModuleLoader.Handle<PluginHost.Plugin<PluginService>> k = host.acquire("greeter")) {
                    assertSame(h.module(), k.module());
                }
            }
            assertEquals(UnloadResult.UNLOADED, host.unload("greeter"));
            collected = host.whenCollected("greeter");
            for (int attempt = 0; attempt < 100 && !collected.isDone(); attempt++) {
                System.gc();
                Thread.sleep(20);
            }
            assertTrue(collected.isDone(), "unloaded: every class loader was collected while the binding is kept");
            assertEquals(host.retiredLoaders(), host.collectedLoaders());
        }
    }
}
