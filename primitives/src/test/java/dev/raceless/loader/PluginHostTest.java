package dev.raceless.loader;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PluginHost}: real plugin jars, built by the test ({@link PluginJars}), each in a class
 * loader of its own, found with ServiceLoader, unloaded with the loader's protocol, the class
 * loader closed after a grace period and then collected.
 */
class PluginHostTest {
    @TempDir
    Path dir;

    private Path jar;
    private PluginHost<PluginService> host;

    @BeforeEach
    void buildPlugin() throws IOException {
        jar = PluginJars.build(dir.resolve("greeter.jar"), "hello", "v1", true);
        host = new PluginHost<>(PluginService.class, name -> dir.resolve(name + ".jar"));
    }

    @AfterEach
    void closeHost() {
        host.close();
    }

    @Test
    void aCallReachesThePluginInAClassLoaderOfItsOwn() {
        assertEquals("hello world v1", host.call("greeter", s -> s.greet("world")));
        ModuleLoader.Handle<PluginHost.Plugin<PluginService>> h = host.acquire("greeter");
        try {
            PluginHost.Plugin<PluginService> p = h.module();
            ClassLoader own = p.classLoader();
            assertInstanceOf(URLClassLoader.class, own);
            assertSame(own, p.service().getClass().getClassLoader());
            assertNotSame(PluginService.class.getClassLoader(), own);
            assertSame(PluginService.class.getClassLoader(), own.getParent());
            assertTrue(own.getName().startsWith("plugin-greeter#"), own.getName());
            assertEquals("testplugin.Greeter", p.service().getClass().getName());
        } finally {
            h.release();
        }
    }

    @Test
    void unloadDestroysTheServiceAndHasClosedItsClassLoaderWhenItReturns() throws InterruptedException {
        ModuleLoader.Handle<PluginHost.Plugin<PluginService>> h = host.acquire("greeter");
        PluginService service = h.module().service();
        URLClassLoader loader = (URLClassLoader) h.module().classLoader();
        h.release();
        assertNotNull(loader.getResource(PluginJars.RESOURCE));

        assertEquals(UnloadResult.UNLOADED, host.unload("greeter"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> service.greet("late"));
        assertTrue(e.getMessage().contains("destroyed"), e.getMessage());
        assertNull(h.module(), "the handle no longer refers to the plugin");
        assertNull(loader.getResource(PluginJars.RESOURCE), "the class loader is closed");
    }

    @Test
    void everyUnloadVariantWorksAndTheNextCallLoadsAFreshClassLoader() throws InterruptedException {
        ClassLoader previous = null;
        for (int variant = 0; variant < 3; variant++) {
            ModuleLoader.Handle<PluginHost.Plugin<PluginService>> h = host.acquire("greeter");
            ClassLoader current = h.module().classLoader();
            assertNotSame(previous, current);
            assertEquals(UnloadResult.BUSY, variant == 0 ? host.tryUnload("greeter")
                    : host.tryUnload("greeter", 1, TimeUnit.MILLISECONDS), "a call is in flight");
            assertEquals("hello x v1", h.module().service().greet("x"), "a BUSY unload changed nothing");
            h.release();
            UnloadResult r = variant == 0 ? host.tryUnload("greeter")
                    : variant == 1 ? host.tryUnload("greeter", 1, TimeUnit.SECONDS) : host.unload("greeter");
            assertEquals(UnloadResult.UNLOADED, r);
            previous = current;
        }
        assertEquals(UnloadResult.NOT_LOADED, host.unload("greeter"));
    }

    @Test
    void replacingTheJarBetweenAnUnloadAndTheNextRequestUpgradesThePlugin() throws IOException, InterruptedException {
        assertEquals("hello world v1", host.call("greeter", s -> s.greet("world")));
        assertEquals(UnloadResult.UNLOADED, host.unload("greeter"));
        PluginJars.build(jar, "hi", "v2", true);
        assertEquals("hi world v2", host.call("greeter", s -> s.greet("world")));
    }

    @Test
    void aJarWithoutTheServiceFailsToLoadAndALaterRequestRetries() throws IOException {
        PluginJars.build(dir.resolve("broken.jar"), "hello", "v1", false);
        LoadException e = assertThrows(LoadException.class, () -> host.call("broken", s -> s.greet("x")));
        String m = e.getMessage();
        assertTrue(m.startsWith("plugin broken: jar ") && m.contains("provides no"), m);
        assertEquals(UnloadResult.NOT_LOADED, host.tryUnload("broken"));

        PluginJars.build(dir.resolve("broken.jar"), "fixed", "v3", true);
        assertEquals("fixed x v3", host.call("broken", s -> s.greet("x")));
    }

    @Test
    void aMissingJarFailsToLoad() {
        assertThrows(LoadException.class, () -> host.call("absent", s -> s.greet("x")));
    }

    /**
     * The instrument the churn test relies on: a call into the test plugin fails once its class
     * loader is closed (here closed by hand, with the service never destroyed).
     */
    @Test
    void theTestPluginNoticesACallIntoAClosedClassLoader() throws Exception {
        PluginService service;
        try (URLClassLoader own = new URLClassLoader(new java.net.URL[] {jar.toUri().toURL()},
                PluginService.class.getClassLoader())) {
            service = java.util.ServiceLoader.load(PluginService.class, own).findFirst().orElseThrow();
            assertEquals("hello x v1", service.greet("x"));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> service.greet("x"));
        assertTrue(e.getMessage().contains("closed class loader"), e.getMessage());
    }

    /**
     * After unload and the grace period nothing refers to the plugin: a WeakReference to its
     * class loader (and one to its service class) is cleared by GC. Strong references are made
     * and dropped inside {@link #loadAndLetGo} only, so no local of this frame keeps them.
     */
    @Test
    void anUnloadedPluginsClassLoaderIsCollected() throws InterruptedException {
        WeakReference<?>[] refs = loadAndLetGo(host);
        assertEquals(UnloadResult.UNLOADED, host.unload("greeter"));
        host.awaitClosedLoaders();
        assertTrue(collected(refs), "the plugin's class loader or service class is still reachable");
    }

    /** Loads the plugin, calls it, and returns weak references to its class loader and service class. */
    private static WeakReference<?>[] loadAndLetGo(PluginHost<PluginService> host) {
        ModuleLoader.Handle<PluginHost.Plugin<PluginService>> h = host.acquire("greeter");
        try {
            PluginHost.Plugin<PluginService> p = h.module();
            assertEquals("hello x v1", p.service().greet("x"));
            return new WeakReference<?>[] {
                    new WeakReference<>(p.classLoader()), new WeakReference<>(p.service().getClass())};
        } finally {
            h.release();
        }
    }

    /** Runs GC a bounded number of times until every reference is cleared. */
    static boolean collected(WeakReference<?>... refs) throws InterruptedException {
        for (int attempt = 0; attempt < 50; attempt++) {
            boolean all = true;
            for (WeakReference<?> r : refs) {
                all &= r.get() == null;
            }
            if (all) {
                return true;
            }
            System.gc();
            Thread.sleep(20); // let reference processing run; a pause, not a measured wait
        }
        return false;
    }
}
