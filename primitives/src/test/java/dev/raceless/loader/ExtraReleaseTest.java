package dev.raceless.loader;

import dev.raceless.testing.Background;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One {@link ModuleLoader.Handle#release()} too many is misuse the loader detects at the next
 * unload: every unload variant then throws with a message that names the mistake, and leaves the
 * loader usable (the instance stays loaded and serves, no unload is left claimed, none blocks,
 * closing the host returns).
 */
class ExtraReleaseTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ModuleLoader.Style.class)
    void everyUnloadAfterAnExtraReleaseThrowsAndNoneWedges(ModuleLoader.Style style) throws Exception {
        RecordingLifecycle recorder = new RecordingLifecycle();
        ModuleLoader<String, TestModule> loader = new ModuleLoader<>(recorder, recorder, style);
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        h.release();
        h.release(); // one too many: not seen while the count is live

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loader.unload("a"));
        assertTrue(e.getMessage().contains("release"), e.getMessage());
        assertTrue(loader.isLoaded("a"), "the instance stays loaded");
        assertThrows(IllegalStateException.class, () -> loader.tryUnload("a"),
                "tryUnload reports the misuse as well (not NOT_LOADED: the claim was given back)");
        assertThrows(IllegalStateException.class, () -> loader.tryUnload("a", 1, TimeUnit.SECONDS));
        Background<UnloadResult> second = Background.start("second unload", () -> loader.unload("a"));
        assertInstanceOf(IllegalStateException.class, second.joinFailure(), "a second unload throws, it never blocks");

        ModuleLoader.Handle<TestModule> again = loader.acquire("a");
        assertEquals(1, again.module().call(), "the instance still serves");
        again.release();
        ModuleLoader.Handle<TestModule> other = loader.acquire("b");
        other.release();
        assertEquals(UnloadResult.UNLOADED, loader.unload("b"), "other keys are not affected");
        assertEquals(0, recorder.violationCount(), recorder.violations().toString());
    }

    @Test
    void closingAHostWithAnOverReleasedPluginReturnsAndReportsIt() throws Exception {
        PluginJars.build(dir.resolve("greeter.jar"), "hello", "v1", true);
        PluginHost<PluginService> host = new PluginHost<>(PluginService.class, name -> dir.resolve(name + ".jar"));
        ModuleLoader.Handle<PluginHost.Plugin<PluginService>> h = host.acquire("greeter");
        h.release();
        h.release();
        Background<Void> closing = Background.start("close", () -> {
            host.close();
            return null;
        });
        Throwable t = closing.joinFailure();
        assertInstanceOf(IllegalStateException.class, t, "close() returns and names the misuse");
        assertTrue(t.getMessage().contains("greeter"), t.getMessage());
    }
}
