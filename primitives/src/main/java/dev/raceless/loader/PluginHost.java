package dev.raceless.loader;

import dev.raceless.grace.GraceDomain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Plugin jars loaded and unloaded for real: each plugin lives in a class loader of its own, its
 * service is found with {@link ServiceLoader}, calls reach it through a {@link ModuleLoader} (so an
 * unload never races a call), and after its destroy the class loader is closed after a grace
 * period, so the plugin's classes can be collected.
 *
 * <p><b>The rule.</b> A call into a plugin runs inside a use of its instance; the instance is
 * destroyed only after the last call returned, and its class loader is closed only after a
 * further grace period of {@link #grace()}. Objects of plugin classes that escape a call may be
 * used inside a section of {@code grace()}: they stay usable until that section ends.
 *
 * <p><b>Reload.</b> A request that arrives while a plugin is unloading waits for the unload to
 * finish and then gets a fresh instance, loaded from the jar again in a new class loader
 * ({@link ModuleLoader}'s protocol). Replace the jar between an unload and the next request to
 * upgrade a plugin.
 *
 * <p><b>Lifecycle.</b> A service that implements {@link AutoCloseable} is closed in {@code destroy}.
 *
 * <p><b>Sample usage.</b>
 * <pre> {@code
 * PluginHost<Greeter> host = new PluginHost<>(Greeter.class, name -> pluginDir.resolve(name + ".jar"));
 * String s = host.call("hello", g -> g.greet("world"));
 * host.unload("hello");                      // waits for calls in flight; loader closed after a grace period
 * }</pre>
 *
 * @param <S> the service interface plugins provide
 */
public final class PluginHost<S> implements AutoCloseable {
    /*
     * Implementation notes.
     *
     * A Plugin (class loader + service instance) is the module type of a ModuleLoader keyed by
     * plugin name; all the race-freedom comes from there. destroy closes the service if it is
     * AutoCloseable, then queues loader.close() with callAfterGrace on the host's GraceDomain.
     * After that nothing of the host refers to the plugin: the Handle drops its module reference
     * in ModuleLoader.destroy and the action queue drops the action after running it, so the class
     * loader becomes unreachable (checked by a unit test with a WeakReference and GC).
     */

    /** A loaded plugin: its class loader and its service. */
    public static final class Plugin<S> {
        private final String name;
        private final URLClassLoader loader;
        private final S service;

        Plugin(String name, URLClassLoader loader, S service) {
            this.name = name;
            this.loader = loader;
            this.service = service;
        }

        /** The plugin's service instance. */
        public S service() {
            return service;
        }

        /** The plugin's own class loader. */
        public ClassLoader classLoader() {
            return loader;
        }

        @Override
        public String toString() {
            return "Plugin[" + name + "]";
        }
    }

    private final Class<S> serviceType;
    private final Function<? super String, ? extends Path> jars;
    private final ClassLoader parent;
    private final GraceDomain grace;
    private final ModuleLoader<String, Plugin<S>> modules;

    /**
     * Creates a host whose plugins' class loaders have {@code serviceType}'s class loader as their
     * parent.
     *
     * @param jars maps a plugin name to its jar
     */
    public PluginHost(Class<S> serviceType, Function<? super String, ? extends Path> jars) {
        this(serviceType, jars, serviceType.getClassLoader(), ModuleLoader.Style.THREE_POINT);
    }

    /** Creates a host. */
    public PluginHost(Class<S> serviceType, Function<? super String, ? extends Path> jars, ClassLoader parent,
                      ModuleLoader.Style style) {
        this.serviceType = Objects.requireNonNull(serviceType, "serviceType");
        this.jars = Objects.requireNonNull(jars, "jars");
        this.parent = parent;
        // ServiceLoader refuses a named module that does not declare `uses S`; S is the caller's.
        PluginHost.class.getModule().addUses(serviceType);
        this.grace = new GraceDomain("plugins-" + serviceType.getSimpleName(), PluginHost::logFailure);
        this.modules = new ModuleLoader<>(this::open, new Lifecycle<>() {
            @Override
            public void destroy(Plugin<S> p) throws Exception {
                PluginHost.this.destroy(p);
            }
        }, style);
    }

    /**
     * The live plugin {@code name} with a use taken, loading it if needed (see
     * {@link ModuleLoader#acquire}). End the use with {@link ModuleLoader.Handle#release()}.
     *
     * @throws LoadException if the jar cannot be opened or provides no {@code S}
     */
    public ModuleLoader.Handle<Plugin<S>> acquire(String name) {
        return modules.acquire(name);
    }

    /** Calls {@code fn} with the service of plugin {@code name}, inside a use of it. */
    public <R> R call(String name, Function<? super S, ? extends R> fn) {
        ModuleLoader.Handle<Plugin<S>> h = modules.acquire(name);
        try {
            return fn.apply(h.module().service());
        } finally {
            h.release();
        }
    }

    /** Unloads plugin {@code name} without blocking; see {@link ModuleLoader#tryUnload(Object)}. */
    public UnloadResult tryUnload(String name) {
        return modules.tryUnload(name);
    }

    /** Unloads plugin {@code name}, waiting at most {@code timeout} for calls in flight. */
    public UnloadResult tryUnload(String name, long timeout, TimeUnit unit) throws InterruptedException {
        return modules.tryUnload(name, timeout, unit);
    }

    /** Unloads plugin {@code name}, waiting for the calls in flight. */
    public UnloadResult unload(String name) {
        return modules.unload(name);
    }

    /** The grace domain whose grace period precedes closing an unloaded plugin's class loader. */
    public GraceDomain grace() {
        return grace;
    }

    /** Waits until every class loader of a plugin unloaded before this call has been closed. */
    public void awaitClosedLoaders() {
        grace.barrier();
    }

    /**
     * Unloads every loaded plugin (waiting for calls in flight), then closes the grace domain, which
     * closes their class loaders after a final grace period. Plugins must not be requested
     * concurrently with close.
     */
    @Override
    public void close() {
        for (String name : modules.loadedKeys()) {
            modules.unload(name);
        }
        grace.close();
    }

    private Plugin<S> open(String name) {
        Path jar = Objects.requireNonNull(jars.apply(name), () -> "no jar for plugin " + name);
        URL url;
        try {
            url = jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("plugin " + name + ": bad jar path " + jar, e);
        }
        URLClassLoader loader = new URLClassLoader("plugin-" + name, new URL[] {url}, parent);
        try {
            S service = ServiceLoader.load(serviceType, loader).findFirst().orElseThrow(() ->
                    new IllegalStateException("plugin " + name + " (" + jar + ") provides no " + serviceType.getName()
                            + " in META-INF/services"));
            return new Plugin<>(name, loader, service);
        } catch (RuntimeException | Error e) {
            closeQuietly(loader, e);
            throw e;
        }
    }

    private void destroy(Plugin<S> p) throws Exception {
        try {
            if (p.service instanceof AutoCloseable) {
                ((AutoCloseable) p.service).close();
            }
        } finally {
            URLClassLoader loader = p.loader;
            Runnable closeLoader = () -> {
                try {
                    loader.close();
                } catch (IOException e) {
                    throw new UncheckedIOException("closing the class loader of " + p, e);
                }
            };
            try {
                grace.callAfterGrace(closeLoader);
            } catch (IllegalStateException closed) { // host closed: no action thread; wait here
                grace.synchronize();
                closeLoader.run();
            }
        }
    }

    private static void closeQuietly(URLClassLoader loader, Throwable primary) {
        try {
            loader.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }

    private static void logFailure(Runnable action, Throwable failure) {
        System.getLogger("dev.raceless.loader").log(System.Logger.Level.WARNING,
                "closing a plugin class loader failed", failure);
    }
}
