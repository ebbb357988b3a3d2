package dev.raceless.loader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every public method of the loader and the host throws NullPointerException naming the null parameter. */
class NullArgumentsTest {
    private static void npe(String parameter, Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertEquals(parameter, e.getMessage());
    }

    @Test
    void moduleLoaderMethodsNameTheNullParameter() {
        RecordingLifecycle r = new RecordingLifecycle();
        ModuleLoader<String, TestModule> loader = new ModuleLoader<>(r, r, ModuleLoader.Style.THREE_POINT);
        npe("key", () -> loader.acquire(null));
        npe("key", () -> loader.tryAcquire(null));
        npe("key", () -> loader.isLoaded(null));
        npe("key", () -> loader.tryUnload(null));
        npe("key", () -> loader.tryUnload(null, 1, TimeUnit.SECONDS));
        npe("unit", () -> loader.tryUnload("a", 1, null));
        npe("key", () -> loader.unload(null));
        npe("key", () -> loader.reload(null));
        npe("key", () -> loader.tryReload(null));
        npe("key", () -> loader.tryReload(null, 1, TimeUnit.SECONDS));
        npe("unit", () -> loader.tryReload("a", 1, null));
        npe("factory", () -> new ModuleLoader<String, TestModule>(null, r, ModuleLoader.Style.THREE_POINT));
        npe("lifecycle", () -> new ModuleLoader<String, TestModule>(r, null, ModuleLoader.Style.THREE_POINT));
        npe("style", () -> new ModuleLoader<String, TestModule>(r, r, null));
    }

    @Test
    void pluginHostMethodsNameTheNullParameter() {
        npe("serviceType", () -> new PluginHost<PluginService>(null, n -> Path.of(n)));
        npe("jars", () -> new PluginHost<>(PluginService.class, null));
        try (PluginHost<PluginService> host = new PluginHost<>(PluginService.class, n -> Path.of(n))) {
            npe("name", () -> host.acquire(null));
            npe("name", () -> host.call(null, s -> s));
            npe("name", () -> host.bind(null));
            npe("name", () -> host.tryUnload(null));
            npe("fn", () -> host.call("a", null));
            npe("name", () -> host.unload(null));
            npe("name", () -> host.upgrade(null, Path.of("x.jar")));
            npe("jar", () -> host.upgrade("a", null));
            npe("jar", () -> host.tryUpgrade("a", null));
            npe("unit", () -> host.tryUpgrade("a", Path.of("x.jar"), 1, null));
        }
    }
}
