package dev.raceless.loader;

import dev.raceless.testing.Background;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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

    /** A try form of unload, which repairs the count, throws once and leaves the instance loaded. */
    @FunctionalInterface
    interface TryUnload {
        UnloadResult on(ModuleLoader<String, TestModule> loader) throws InterruptedException;
    }

    /**
     * Each try form in each style. The timed one waits 50 ms for the call this test holds in
     * flight, then reports BUSY; an idle instance it unloads at once.
     */
    static Stream<Arguments> tryForms() {
        TryUnload untimed = loader -> loader.tryUnload("a");
        TryUnload timed = loader -> loader.tryUnload("a", 50, TimeUnit.MILLISECONDS);
        return Stream.of(ModuleLoader.Style.values()).flatMap(style -> Stream.of(
                Arguments.of(style, Named.of("tryUnload(key)", untimed)),
                Arguments.of(style, Named.of("tryUnload(key, timeout, unit)", timed))));
    }

    /** A loader whose instance of "a" was released once more than it was acquired. */
    private static ModuleLoader<String, TestModule> overReleased(RecordingLifecycle recorder,
                                                                ModuleLoader.Style style) {
        ModuleLoader<String, TestModule> loader = new ModuleLoader<>(recorder, recorder, style);
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        h.release();
        h.release(); // one too many: not seen while the count is live
        return loader;
    }

    @ParameterizedTest(name = "{1}, {0}")
    @MethodSource("tryForms")
    void aTryUnloadAfterAnExtraReleaseRepairsAndThrowsOnce(ModuleLoader.Style style, TryUnload tryUnload)
            throws Exception {
        RecordingLifecycle recorder = new RecordingLifecycle();
        ModuleLoader<String, TestModule> loader = overReleased(recorder, style);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tryUnload.on(loader));
        assertTrue(e.getMessage().contains("release"), e.getMessage());
        assertTrue(loader.isLoaded("a"), "the instance stays loaded");
        ModuleLoader.Handle<TestModule> again = loader.acquire("a");
        assertEquals(1, again.module().call(), "the instance still serves");
        assertEquals(UnloadResult.BUSY, tryUnload.on(loader), "the repaired count counts the call in flight");
        again.release();
        assertEquals(UnloadResult.UNLOADED, tryUnload.on(loader), "the next attempt works");
        assertEquals(0, recorder.violationCount(), recorder.violations().toString());
    }

    @ParameterizedTest
    @EnumSource(ModuleLoader.Style.class)
    void aBlockingUnloadAfterAnExtraReleaseRepairsAndUnloads(ModuleLoader.Style style) throws Exception {
        RecordingLifecycle recorder = new RecordingLifecycle();
        ModuleLoader<String, TestModule> loader = overReleased(recorder, style);

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
