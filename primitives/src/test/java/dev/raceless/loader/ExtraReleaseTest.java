package dev.raceless.loader;

import dev.raceless.testing.Background;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One {@link ModuleLoader.Handle#release()} too many is misuse the loader detects at the next
 * unload, with the policy registrations have: a try form repairs the count and throws with a
 * message that names the mistake, leaving the instance loaded and serving and the next attempt
 * working; a blocking unload (and closing a host) repairs, logs and unloads. Nothing wedges.
 */
class ExtraReleaseTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ModuleLoader.Style.class)
    void aTryUnloadAfterAnExtraReleaseRepairsAndThrowsOnce(ModuleLoader.Style style) throws Exception {
        RecordingLifecycle recorder = new RecordingLifecycle();
        ModuleLoader<String, TestModule> loader = new ModuleLoader<>(recorder, recorder, style);
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        h.release();
        h.release(); // one too many: not seen while the count is live

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loader.tryUnload("a"));
        assertTrue(e.getMessage().contains("release"), e.getMessage());
        assertTrue(loader.isLoaded("a"), "the instance stays loaded");
        ModuleLoader.Handle<TestModule> again = loader.acquire("a");
        assertEquals(1, again.module().call(), "the instance still serves");
        assertEquals(UnloadResult.BUSY, loader.tryUnload("a"), "the repaired count counts the call in flight");
        again.release();
        assertEquals(UnloadResult.UNLOADED, loader.tryUnload("a"), "the next attempt works");
        assertEquals(0, recorder.violationCount(), recorder.violations().toString());
    }

    @ParameterizedTest
    @EnumSource(ModuleLoader.Style.class)
    void aTimedTryUnloadAfterAnExtraReleaseRepairsAndThrowsOnce(ModuleLoader.Style style) throws Exception {
        RecordingLifecycle recorder = new RecordingLifecycle();
        ModuleLoader<String, TestModule> loader = new ModuleLoader<>(recorder, recorder, style);
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        h.release();
        h.release();

        assertThrows(IllegalStateException.class, () -> loader.tryUnload("a", 1, TimeUnit.SECONDS));
        assertTrue(loader.isLoaded("a"), "the instance stays loaded");
        assertEquals(UnloadResult.UNLOADED, loader.tryUnload("a", 1, TimeUnit.SECONDS), "the next attempt works");
        assertEquals(0, recorder.violationCount(), recorder.violations().toString());
    }

    @ParameterizedTest
    @EnumSource(ModuleLoader.Style.class)
    void aBlockingUnloadAfterAnExtraReleaseRepairsAndUnloads(ModuleLoader.Style style) throws Exception {
        RecordingLifecycle recorder = new RecordingLifecycle();
        ModuleLoader<String, TestModule> loader = new ModuleLoader<>(recorder, recorder, style);
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        h.release();
        h.release();

        Background<UnloadResult> unload = Background.start("unload", () -> loader.unload("a"));
        assertEquals(UnloadResult.UNLOADED, unload.join(), "committed: repaired, logged, unloaded; never blocks");
        assertFalse(loader.isLoaded("a"));
        ModuleLoader.Handle<TestModule> fresh = loader.acquire("a");
        assertTrue(fresh.module().call() > 0, "a fresh instance serves");
        fresh.release();
        assertEquals(UnloadResult.UNLOADED, loader.unload("a"));
        assertEquals(0, recorder.violationCount(), recorder.violations().toString());
    }

    @Test
    void closingAHostWithAnOverReleasedPluginRepairsAndUnloadsIt() throws Exception {
        PluginJars.build(dir.resolve("greeter.jar"), "hello", "v1", true);
        PluginHost<PluginService> host = new PluginHost<>(PluginService.class, name -> dir.resolve(name + ".jar"));
        ModuleLoader.Handle<PluginHost.Plugin<PluginService>> h = host.acquire("greeter");
        h.release();
        h.release();
        Background<Void> closing = Background.start("close", () -> {
            host.close();
            return null;
        });
        closing.join(); // returns: repaired, logged, unloaded
        assertEquals(1, host.retiredLoaders(), "the plugin was unloaded and its class loader retired");
    }
}
