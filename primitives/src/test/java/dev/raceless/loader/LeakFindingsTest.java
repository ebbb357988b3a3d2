package dev.raceless.loader;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.raceless.testing.Background.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proof of unload, or the reason: for each kind of leak a plugin built at test time leaks its
 * class loader on purpose; after unload the class loader is not collected, the host names the
 * holder and the plugin (at once with findLeaks, and through the listener after the check time);
 * once the plugin's own cleanUp() undoes the leak, whenCollected completes.
 */
class LeakFindingsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(LeakFinding.Kind.class)
    void aLeakingPluginIsReportedWithItsHolderAndCollectedOnceTheLeakIsUndone(LeakFinding.Kind kind) throws Exception {
        Assumptions.assumeTrue(kind != LeakFinding.Kind.JDBC_DRIVER
                || ModuleLayer.boot().findModule("java.sql").isPresent(),
                "java.sql is not in the boot layer");
        Assumptions.assumeTrue(kind != LeakFinding.Kind.MBEAN
                || ModuleLayer.boot().findModule("java.management").isPresent(),
                "java.management is not in the boot layer");
        String name = "leaky-" + kind.name().toLowerCase(Locale.ROOT);
        LeakingPlugins.build(dir, name, "leak" + kind.ordinal(), kind);
        List<String> reported = new CopyOnWriteArrayList<>();
        try (PluginHost<PluginService> host = new PluginHost<>(PluginService.class, n -> dir.resolve(n + ".jar"),
                PluginService.class.getClassLoader(), ModuleLoader.Style.THREE_POINT, Duration.ofMillis(200),
                (plugin, findings) -> reported.add(plugin + " " + findings))) {
            WeakReference<Class<?>> service = load(host, name);
            assertEquals(UnloadResult.UNLOADED, host.unload(name));
            CompletableFuture<Void> collected = host.whenCollected(name);
            System.gc();
            assertFalse(collected.isDone(), "a leaking plugin's loader is not collected");

            List<LeakFinding> findings = host.findLeaks(name);
            assertTrue(findings.stream().anyMatch(f -> f.kind() == kind && f.plugin().equals(name)),
                    "expected a " + kind + " finding for " + name + ": " + findings);
            assertTrue(findings.stream().allMatch(f -> f.toString().contains(name)), findings.toString());
            eventually(() -> reported.stream().anyMatch(r -> r.startsWith(name) && r.contains(kind.name())),
                    "the listener hears of the " + kind + " leak");

            Class<?> c = service.get();
            c.getMethod("cleanUp").invoke(null);
            c = null;
            awaitCollected(collected);
            assertTrue(host.findLeaks(name).isEmpty());
            assertEquals(host.retiredLoaders(), host.collectedLoaders());
        }
    }

    private static WeakReference<Class<?>> load(PluginHost<PluginService> host, String name) {
        try (ModuleLoader.Handle<PluginHost.Plugin<PluginService>> h = host.acquire(name)) {
            assertEquals("leaky x 1", h.module().service().greet("x"));
            return new WeakReference<>(h.module().service().getClass());
        }
    }

    private static void awaitCollected(CompletableFuture<Void> f) throws InterruptedException {
        for (int attempt = 0; attempt < 100 && !f.isDone(); attempt++) {
            System.gc();
            Thread.sleep(20); // let the cleaner run; a pause, not a measured wait
        }
        assertTrue(f.isDone(), "the class loader was not collected after the leak was undone");
    }
}
