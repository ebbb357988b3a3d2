package dev.raceless.loader;

import dev.raceless.grace.GraceDomain;
import dev.raceless.grace.QuiescentDomain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.jar.JarFile;
import java.util.zip.ZipException;

/**
 * Plugin jars loaded, upgraded and unloaded for real: each plugin lives in a class loader of its
 * own, its service is found with {@link ServiceLoader} among the classes of its own jar, calls
 * reach it through a {@link ModuleLoader} (so an unload never races a call), and by the time an
 * unload or upgrade returns the old class loader and its jar are closed.
 *
 * <p><b>The rule.</b> A call into a plugin runs inside a use of its instance; the instance is
 * destroyed only after the last call returned, and its class loader is closed only after a
 * further grace period of {@link #grace()}. Objects of plugin classes that escape a call may be
 * used inside a section of {@code grace()}: they stay usable until that section ends.
 *
 * <p><b>Upgrade.</b> {@link #upgrade(String, Path)} replaces a plugin with the version in another
 * jar, atomically for callers ({@link ModuleLoader#reload}): from the call on no request gets the
 * old version; calls in flight on it finish; requests that arrive meanwhile wait and continue with
 * the new version, which is live when {@code upgrade} returns. A new version that cannot be loaded
 * (no such file, not a jar, no service of its own) leaves the old one serving, untouched, and
 * {@code upgrade} throws {@link LoadException}: a broken jar dropped into a plugin directory never
 * takes a working plugin down. Later loads of the plugin (after an unload) use the upgraded jar.
 *
 * <p><b>The plugin's own code.</b> Plugin class loaders delegate to their parent first, as the
 * JDK's do; the host then takes the first provider of the service type whose class was defined by
 * the plugin's own class loader, and skips providers from the parent (the host's class path or
 * module path, for example a default implementation shipped with the API jar). A jar whose only
 * providers come from outside it is refused, naming them. A plugin class whose name is also on the
 * parent's path resolves to the parent's class (parent first); give plugins packages of their own.
 *
 * <p><b>Files.</b> A plugin runs from a private copy of its jar, made when it is loaded and
 * deleted when it is unloaded: replacing or deleting the jar on disk never breaks a loaded plugin.
 * The class loader (and with it every file it opened) is closed before {@code unload},
 * {@code upgrade} or {@code close} returns. A jar that is missing, not a regular file, unreadable
 * or not a zip fails to load with a message naming the file.
 *
 * <p><b>Context class loader.</b> {@link #call} runs the function with the plugin's class loader
 * as the thread's context class loader (as a servlet container does for a web application), so
 * libraries inside the plugin that look classes up through it find the plugin's own; threads the
 * plugin starts inherit it.
 *
 * <p><b>Proof of unload.</b> {@link #whenCollected(String)} completes once the class loaders of
 * the plugin's unloaded instances have been garbage collected. A class loader still reachable
 * after a configurable time is reported with its likely holders ({@link LeakFinding}: threads the
 * plugin left running, threads with its context class loader, {@code Timer}s, JDBC drivers,
 * {@code java.util.logging} handlers and levels, MBeans); {@link #findLeaks(String)} looks at once.
 *
 * <p><b>Bindings.</b> A caller that calls one plugin again and again (a router) keeps a
 * {@link PluginBinding} of it ({@link #bind(String)}): {@link PluginBinding#call(Function)} is
 * {@code call(name, fn)} without the lookup, and follows upgrades and unloads the same way.
 *
 * <p><b>From inside a call.</b> A blocking {@link #unload(String)} or {@link #upgrade(String, Path)}
 * of plugin {@code p} called from inside a call to {@code p} (a plugin asking its host to replace
 * it) would wait for that call, and so for itself: it throws {@link IllegalStateException} saying
 * so, and nothing is changed. Ask from another thread (a thread the plugin starts is fine: its
 * upgrade waits for the call to return), or use {@link #tryUpgrade(String, Path)} or
 * {@link #tryUnload(String)}.
 *
 * <p><b>Errors.</b> A plugin that cannot be loaded throws {@link LoadException} whose message
 * names the plugin, the file and the reason ({@code plugin hello: jar /x/hello.jar does not
 * exist}). A closed host refuses every new load with {@link IllegalStateException} ({@code this
 * PluginHost is closed: refused to load plugin hello}).
 *
 * <p><b>Lifecycle.</b> A service that implements {@link AutoCloseable} is closed in {@code destroy}.
 *
 * <p><b>Sample usage.</b>
 * <pre> {@code
 * try (PluginHost<Greeter> host = new PluginHost<>(Greeter.class, name -> pluginDir.resolve(name + ".jar"))) {
 *   String s = host.call("hello", g -> g.greet("world"));
 *   host.upgrade("hello", incoming.resolve("hello-2.jar")); // the next call gets version 2
 *   host.unload("hello");                                   // waits for calls in flight
 * }
 * }</pre>
 *
 * @param <S> the service interface plugins provide
 */
public final class PluginHost<S> implements AutoCloseable {
    /*
     * Implementation notes.
     *
     * A Plugin (class loader + service instance + private jar copy) is the module type of a
     * ModuleLoader keyed by plugin name; all the race-freedom comes from there, and upgrade is
     * ModuleLoader.reload with the upgraded jar recorded in `sources` first (and put back if the
     * reload changed nothing). destroy closes the service if it is AutoCloseable; the lifecycle's
     * afterDestroy, which the ModuleLoader runs on the unloading thread once the unload or reload
     * is over, waits one grace period of the host's GraceDomain, closes the class loader and
     * deletes the private copy: unload and upgrade return with the files closed, and an upgrade's
     * requests waiting for the new version do not wait for the old loader's files as well. (Closing
     * with callAfterGrace would leave the files open for an unknown time after unload, and give
     * every host that ever unloaded a plugin an action thread.)
     *
     * Words: the ModuleLoader is made with this host's words ("plugin", "PluginHost"), and every
     * load failure of open() is a LoadException that names the plugin, the file and the reason
     * (the ModuleLoader passes a LoadException through as it is).
     *
     * Self-wait: a blocking unload or upgrade from inside a call of the same plugin would wait for
     * itself. The ModuleLoader asks inCallOf (context class loader, then a stack walk for a callIn
     * frame) on its blocking paths only, so the call path pays nothing for the check.
     *
     * After destroy nothing of the host refers to the plugin: the Handle drops its module reference
     * in ModuleLoader's destroy, so the class loader becomes unreachable unless the plugin leaked
     * it somewhere (checked by a unit test with a WeakReference and GC).
     *
     * The host holds no thread and registers itself nowhere, so a host dropped without close()
     * is collected like any object (its GraceDomain starts an action thread only for
     * callAfterGrace, which the host never calls).
     *
     * Provider filtering rather than child-first loading: the service type must be the host's
     * class for the cast to work, so a child-first loader needs a list of parent-first packages
     * (the API's, java.*, the logging facade...) that every host gets wrong sooner or later;
     * filtering by defining loader keeps the JDK's delegation and still refuses a parent's provider.
     */

    /**
     * A loaded plugin: its class loader and its service.
     *
     * @param <S> the service interface the plugin provides
     */
    public static final class Plugin<S> {
        private final String name;
        private final Path jar;
        private final Path copy;
        private final URLClassLoader loader;
        private final S service;

        Plugin(String name, Path jar, Path copy, URLClassLoader loader, S service) {
            this.name = name;
            this.jar = jar;
            this.copy = copy;
            this.loader = loader;
            this.service = service;
        }

        /** {@return the plugin's service instance} */
        public S service() {
            return service;
        }

        /** {@return the plugin's own class loader} */
        public ClassLoader classLoader() {
            return loader;
        }

        /** {@return the plugin's name} */
        public String name() {
            return name;
        }

        /** {@return the jar this instance was loaded from (it runs from a private copy of it)} */
        public Path jar() {
            return jar;
        }

        @Override
        public String toString() {
            return "Plugin[" + name + ", " + loader.getName() + ", " + jar + "]";
        }
    }

    private static final AtomicLong GENERATIONS = new AtomicLong();

    private final Class<S> serviceType;
    private final Function<? super String, ? extends Path> jars;
    private final ClassLoader parent;
    private final GraceDomain grace;
    private final ModuleLoader<String, Plugin<S>> modules;
    private final ConcurrentHashMap<String, Path> sources = new ConcurrentHashMap<>();
    private final Path copies;
    private final UnloadWatch watch;

    /** How long an unloaded plugin's class loader may stay reachable before the default host reports it. */
    public static final Duration DEFAULT_LEAK_CHECK = Duration.ofSeconds(30);

    /**
     * Creates a host whose plugins' class loaders have {@code serviceType}'s class loader as their
     * parent.
     *
     * @param serviceType the service interface plugins provide
     * @param jars maps a plugin name to its jar
     * @throws UncheckedIOException if the directory for the plugins' private jar copies cannot be made
     */
    public PluginHost(Class<S> serviceType, Function<? super String, ? extends Path> jars) {
        this(serviceType, jars, Objects.requireNonNull(serviceType, "serviceType").getClassLoader(),
                ModuleLoader.Style.THREE_POINT);
    }

    /**
     * Creates a host.
     *
     * @param serviceType the service interface plugins provide
     * @param jars maps a plugin name to its jar
     * @param parent the parent of every plugin class loader (null: the bootstrap loader)
     * @param style which lifecycle points an unload uses (see {@link ModuleLoader.Style})
     * @throws UncheckedIOException if the directory for the plugins' private jar copies cannot be made
     */
    public PluginHost(Class<S> serviceType, Function<? super String, ? extends Path> jars, ClassLoader parent,
                      ModuleLoader.Style style) {
        this(serviceType, jars, parent, style, DEFAULT_LEAK_CHECK, UnloadWatch::log);
    }

    /**
     * Creates a host that reports unloaded plugins whose class loader is still reachable after
     * {@code leakCheck}: it looks for the likely holders ({@link LeakFinding}) and passes the
     * plugin's name and what it found (perhaps nothing) to {@code leaks}, on a shared JDK thread.
     * The default host logs them through {@link System.Logger} after {@link #DEFAULT_LEAK_CHECK}.
     *
     * @param serviceType the service interface plugins provide
     * @param jars maps a plugin name to its jar
     * @param parent the parent of every plugin class loader (null: the bootstrap loader)
     * @param style which lifecycle points an unload uses (see {@link ModuleLoader.Style})
     * @param leakCheck how long after an unload a class loader may stay reachable before it is
     *        reported; zero or negative: never check
     * @param leaks receives the name of a plugin whose class loader is still reachable and the
     *        likely holders found
     * @throws UncheckedIOException if the directory for the plugins' private jar copies cannot be made
     */
    public PluginHost(Class<S> serviceType, Function<? super String, ? extends Path> jars, ClassLoader parent,
                      ModuleLoader.Style style, Duration leakCheck,
                      BiConsumer<? super String, ? super List<LeakFinding>> leaks) {
        this(serviceType, jars, parent, style, leakCheck, leaks, null);
    }

    /**
     * Creates a host in quiescent mode: {@link PluginBinding#call(QuiescentDomain.Reader, Function)}
     * by an online reader of {@code domain} takes no use count, and every unload and upgrade waits
     * for a grace period of {@code domain} before it destroys the old version (see
     * {@link Binding#call(QuiescentDomain.Reader, Function)}). Otherwise as the constructor above.
     *
     * @param serviceType the service interface plugins provide
     * @param jars maps a plugin name to its jar
     * @param parent the parent of every plugin class loader (null: the bootstrap loader)
     * @param style which lifecycle points an unload uses (see {@link ModuleLoader.Style})
     * @param leakCheck how long after an unload a class loader may stay reachable before it is
     *        reported; zero or negative: never check
     * @param leaks receives the name of a plugin whose class loader is still reachable and the
     *        likely holders found
     * @param domain the domain whose online readers call without a use count; null: none
     * @throws UncheckedIOException if the directory for the plugins' private jar copies cannot be made
     */
    public PluginHost(Class<S> serviceType, Function<? super String, ? extends Path> jars, ClassLoader parent,
                      ModuleLoader.Style style, Duration leakCheck,
                      BiConsumer<? super String, ? super List<LeakFinding>> leaks, QuiescentDomain domain) {
        this.watch = new UnloadWatch(Objects.requireNonNull(leakCheck, "leakCheck"),
                Objects.requireNonNull(leaks, "leaks"));
        this.serviceType = Objects.requireNonNull(serviceType, "serviceType");
        this.jars = Objects.requireNonNull(jars, "jars");
        Objects.requireNonNull(style, "style");
        this.parent = parent;
        // ServiceLoader refuses a named module that does not declare `uses S`; S is the caller's.
        PluginHost.class.getModule().addUses(serviceType);
        try {
            this.copies = Files.createTempDirectory("raceless-plugins-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a directory for the plugins' jar copies", e);
        }
        this.grace = new GraceDomain("plugins-" + serviceType.getSimpleName(), PluginHost::logFailure);
        this.modules = new ModuleLoader<>(this::open, new Lifecycle<>() {
            @Override
            public void destroy(Plugin<S> p) throws Exception {
                PluginHost.this.destroy(p);
            }

            @Override
            public void afterDestroy(Plugin<S> p) {
                retire(p);
            }
        }, style, PluginHost::logPointFailure, "plugin", "PluginHost", PluginHost::inCallOf, domain);
    }

    /**
     * The live plugin {@code name} with a use taken, loading it if needed (see
     * {@link ModuleLoader#acquire}). End the use with {@link ModuleLoader.Handle#release()}.
     *
     * @param name the plugin's name
     * @return the handle of the live plugin, with a use held for the caller
     * @throws LoadException if the jar cannot be opened or provides no {@code S} of its own
     * @throws IllegalStateException if the plugin is not live and the host is closed
     */
    public ModuleLoader.Handle<Plugin<S>> acquire(String name) {
        return modules.acquire(Objects.requireNonNull(name, "name"));
    }

    /**
     * A standing reference to plugin {@code name} for a caller to keep (a router's field): its
     * {@link PluginBinding#call(Function)} is {@link #call(String, Function)} without looking the
     * name up, and follows upgrades and unloads as {@code call} does (see {@link Binding}). Loads
     * nothing; keeps nothing of an unloaded version reachable.
     *
     * @param name the plugin's name
     * @return a binding to plugin {@code name}
     */
    public PluginBinding<S> bind(String name) {
        return new PluginBinding<>(modules.bind(Objects.requireNonNull(name, "name")), name);
    }

    /**
     * Calls {@code fn} with the service of plugin {@code name}, inside a use of it, with the
     * plugin's class loader as the thread's context class loader.
     *
     * @param <R> the type of the result
     * @param name the plugin's name
     * @param fn the function to apply to the plugin's service
     * @return what {@code fn} returned
     * @throws LoadException if the plugin cannot be loaded
     * @throws IllegalStateException if the plugin is not live and the host is closed
     */
    public <R> R call(String name, Function<? super S, ? extends R> fn) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fn, "fn");
        return callIn(modules.acquire(name), fn);
    }

    /**
     * One call inside the use {@code h} holds, released at the end; the plugin's class loader is
     * the thread's context class loader meanwhile. Its frame is what {@link #inCallOf} looks for.
     */
    static <S, R> R callIn(ModuleLoader.Handle<Plugin<S>> h, Function<? super S, ? extends R> fn) {
        try {
            Plugin<S> p = h.module;
            Thread t = Thread.currentThread();
            ClassLoader previous = t.getContextClassLoader();
            t.setContextClassLoader(p.loader);
            try {
                return fn.apply(p.service);
            } finally {
                t.setContextClassLoader(previous);
            }
        } finally {
            h.release();
        }
    }

    /**
     * An uncounted call (quiescent mode, PluginBinding): {@code fn} with the plugin's class loader
     * as the context class loader, no use held. Its name is the frame QuiescentCalls looks for.
     */
    static <S, R> R uncountedCall(Plugin<S> p, Function<? super S, ? extends R> fn) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(p.loader);
        try {
            return fn.apply(p.service);
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    /**
     * Whether the calling thread is inside a call of plugin instance {@code p}: its context class
     * loader is {@code p}'s (callIn sets it) and a {@code callIn} frame is on its stack (a thread
     * the plugin started inherits the class loader but holds no use). Runs on the blocking unload
     * and upgrade paths only. A call of {@code p} with a call of another plugin nested inside it
     * is not seen (the innermost call's loader is the context); debug mode sees it.
     */
    private static boolean inCallOf(Plugin<?> p) {
        if (Thread.currentThread().getContextClassLoader() != p.loader) {
            return false;
        }
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(
                f -> f.getMethodName().equals("callIn") && f.getClassName().equals(PluginHost.class.getName())));
    }

    /**
     * Unloads plugin {@code name} if no call is in flight; never waits for calls (see
     * {@link ModuleLoader#tryUnload(Object)}). When it unloads, it closes the class loader before
     * returning, after a grace period of {@link #grace()}: it waits for sections of that domain,
     * which are short or absent unless the caller uses them.
     *
     * @param name the plugin's name
     * @return {@code UNLOADED}, {@code BUSY} (nothing changed) or {@code NOT_LOADED}, as
     *         {@link ModuleLoader#tryUnload(Object)}
     * @throws IllegalStateException on a use count that shows misuse (it is repaired and the
     *         plugin stays loaded), as {@link ModuleLoader#tryUnload(Object)}
     */
    public UnloadResult tryUnload(String name) {
        return modules.tryUnload(Objects.requireNonNull(name, "name"));
    }

    /**
     * Unloads plugin {@code name}, waiting at most {@code timeout} for calls in flight (see
     * {@link ModuleLoader#tryUnload(Object, long, TimeUnit)}).
     *
     * @param name the plugin's name
     * @param timeout the longest time to wait for the calls in flight
     * @param unit the unit of {@code timeout}
     * @return {@code UNLOADED}, {@code BUSY} (the plugin is live again) or {@code NOT_LOADED}
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException on a use count that shows misuse (it is repaired and the
     *         plugin stays loaded)
     * @throws InterruptedException if interrupted while waiting; the plugin is taken back into
     *         use, as on a timeout
     */
    public UnloadResult tryUnload(String name, long timeout, TimeUnit unit) throws InterruptedException {
        return modules.tryUnload(Objects.requireNonNull(name, "name"), timeout, unit);
    }

    /**
     * Unloads plugin {@code name}, waiting for the calls in flight; when it returns the plugin's
     * class loader and jar copy are closed. See {@link ModuleLoader#unload(Object)}.
     *
     * @param name the plugin's name
     * @return {@code UNLOADED}, or {@code NOT_LOADED} if nothing was loaded (or another unload
     *         unloaded it)
     * @throws IllegalStateException if called from inside a call to the plugin (see the class
     *         notes; nothing is changed). A use count that shows misuse is repaired and logged,
     *         and the unload goes on
     * @throws InterruptedException if interrupted while waiting; the plugin is taken back into
     *         use, as if this call had not been made
     */
    public UnloadResult unload(String name) throws InterruptedException {
        return modules.unload(Objects.requireNonNull(name, "name"));
    }

    /**
     * Replaces plugin {@code name} with the version in {@code jar}, atomically for callers (see
     * the class notes); loads it if it is not loaded. When it returns the new version is live and
     * the old one's class loader and jar copy are closed.
     *
     * @param name the plugin's name
     * @param jar the jar of the new version; later loads of the plugin use it too
     * @return {@code RELOADED}, or {@code LOADED} if the plugin was not loaded
     * @throws LoadException if the new version cannot be loaded; the old version serves on
     * @throws IllegalStateException if called from inside a call to the plugin (see the class
     *         notes; nothing is changed), or the host is closed
     * @throws InterruptedException if interrupted while waiting for calls in flight; the old
     *         version serves on
     */
    public ReloadResult upgrade(String name, Path jar) throws InterruptedException {
        return upgrading(name, jar, () -> modules.reload(name, "upgrade"));
    }

    /**
     * {@link #upgrade(String, Path)}, waiting at most {@code timeout} for the calls in flight on
     * the old version; {@code BUSY} (nothing changed) if they do not finish in time.
     *
     * @param name the plugin's name
     * @param jar the jar of the new version
     * @param timeout the longest time to wait for the calls in flight on the old version
     * @param unit the unit of {@code timeout}
     * @return {@code RELOADED}, {@code LOADED} if the plugin was not loaded, or {@code BUSY}
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws LoadException if the new version cannot be loaded; the old version serves on
     * @throws IllegalStateException if the host is closed
     * @throws InterruptedException if interrupted while waiting for calls in flight; the old
     *         version serves on
     */
    public ReloadResult tryUpgrade(String name, Path jar, long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        return upgrading(name, jar, () -> modules.tryReload(name, timeout, unit));
    }

    /**
     * {@link #upgrade(String, Path)} if no call is in flight on the old version; never waits for
     * calls: {@code BUSY} with nothing changed.
     *
     * @param name the plugin's name
     * @param jar the jar of the new version
     * @return {@code RELOADED}, {@code LOADED} if the plugin was not loaded, or {@code BUSY}
     * @throws LoadException if the new version cannot be loaded; the old version serves on
     * @throws IllegalStateException if the host is closed
     */
    public ReloadResult tryUpgrade(String name, Path jar) {
        return upgrading(name, jar, () -> modules.tryReload(name));
    }

    /** One reload of an upgrade, as the three forms call it; may throw what the form throws. */
    @FunctionalInterface
    private interface Reload<X extends Exception> {
        ReloadResult run() throws X;
    }

    /**
     * An upgrade: records {@code jar} as the plugin's source, reloads, and puts the previous source
     * back unless the reload took effect (anything but {@code BUSY}, and no exception).
     */
    private <X extends Exception> ReloadResult upgrading(String name, Path jar, Reload<X> reload) throws X {
        Objects.requireNonNull(name, "name");
        Path previous = source(name, jar);
        boolean done = false;
        try {
            ReloadResult r = reload.run();
            done = r != ReloadResult.BUSY;
            return r;
        } finally {
            restoreUnless(done, name, jar, previous);
        }
    }

    /** Records jar as the source of name (read by open); returns what it replaced. */
    private Path source(String name, Path jar) {
        Objects.requireNonNull(jar, "jar");
        if (modules.isClosed()) {
            throw new IllegalStateException("this PluginHost is closed: refused to upgrade plugin " + name);
        }
        return sources.put(name, jar);
    }

    /** An upgrade that changed nothing puts the previous source back, unless another upgrade replaced it. */
    private void restoreUnless(boolean done, String name, Path jar, Path previous) {
        if (done) {
            return;
        }
        if (previous == null) {
            sources.remove(name, jar);
        } else {
            sources.replace(name, jar, previous);
        }
    }

    /**
     * A future completed once the class loader of every instance of plugin {@code name} unloaded
     * (or upgraded away) before this call has been garbage collected: the proof that unloading
     * freed it. Completed at once if there was none. It never completes while the plugin's classes
     * are still reachable; {@link #findLeaks(String)} says what holds them.
     *
     * @param name the plugin's name
     * @return a future completed once those class loaders have been collected
     */
    public CompletableFuture<Void> whenCollected(String name) {
        return watch.whenCollected(Objects.requireNonNull(name, "name"));
    }

    /**
     * {@link #whenCollected(String)} for every plugin unloaded before this call.
     *
     * @return a future completed once the class loaders of all those plugins have been collected
     */
    public CompletableFuture<Void> whenAllCollected() {
        return watch.whenAllCollected();
    }

    /**
     * Looks now for the likely holders of the class loaders of unloaded instances of plugin
     * {@code name} that have not been collected yet (threads, timers, JDBC drivers, logging,
     * MBeans; see {@link LeakFinding.Kind}). Empty if none is found (or all were collected).
     *
     * @param name the plugin's name
     * @return the likely holders found, perhaps none
     */
    public List<LeakFinding> findLeaks(String name) {
        return watch.findLeaks(Objects.requireNonNull(name, "name"));
    }

    /**
     * {@return the number of plugin class loaders this host has closed (one per unload or upgrade
     * that destroyed an instance)}
     */
    public long retiredLoaders() {
        return watch.retired();
    }

    /** {@return the number of closed plugin class loaders that have been garbage collected} */
    public long collectedLoaders() {
        return watch.collected();
    }

    /** {@return the grace domain whose grace period precedes closing an unloaded plugin's class loader} */
    public GraceDomain grace() {
        return grace;
    }

    /**
     * Returns once every class loader of a plugin unloaded before this call has been closed. Since
     * unload and upgrade close the class loader before they return, this only waits for actions
     * a caller queued on {@link #grace()} itself.
     */
    public void awaitClosedLoaders() {
        grace.barrier();
    }

    /**
     * Refuses every new load, unloads every loaded plugin (waiting for calls in flight), and
     * closes the grace domain. Idempotent.
     *
     * @throws IllegalStateException if called from inside a call to a plugin, which it would wait
     *         for forever (see {@link ModuleLoader#close()}); everything else is closed first
     */
    @Override
    public void close() {
        try {
            modules.close();
        } finally {
            grace.close();
            try {
                Files.deleteIfExists(copies); // empty unless a plugin stayed loaded
            } catch (IOException leftBehind) {
                // a plugin that could not be unloaded still runs from its copy in there
            }
        }
    }

    // ---------------------------------------------------------------- loading and destroying

    private Plugin<S> open(String name) {
        Path jar = sources.get(name);
        if (jar == null) {
            jar = jars.apply(name);
            if (jar == null) {
                throw new LoadException("plugin " + name + ": the jars function returned no jar (null)", null);
            }
        }
        long generation = GENERATIONS.incrementAndGet();
        Path copy = privateCopy(name, jar, generation);
        URLClassLoader loader;
        try {
            loader = new URLClassLoader("plugin-" + name + "#" + generation, new URL[] {url(name, copy)}, parent);
        } catch (RuntimeException | Error e) {
            deleteQuietly(copy, e);
            throw e;
        }
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(loader); // the service's constructor runs as a call would
        try {
            return new Plugin<>(name, jar, copy, loader, ownProvider(name, jar, loader));
        } catch (RuntimeException | Error e) {
            closeQuietly(loader, e);
            deleteQuietly(copy, e);
            throw e;
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    /** Checks the jar and copies it into this host's directory; the messages name the file. */
    private Path privateCopy(String name, Path jar, long generation) {
        if (!Files.exists(jar)) {
            throw new LoadException("plugin " + name + ": jar " + jar + " does not exist", null);
        }
        if (!Files.isRegularFile(jar)) {
            throw new LoadException("plugin " + name + ": jar " + jar + " is not a regular file", null);
        }
        if (!Files.isReadable(jar)) {
            throw new LoadException("plugin " + name + ": jar " + jar + " cannot be read", null);
        }
        Path copy = copies.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + generation + ".jar");
        try {
            Files.copy(jar, copy);
        } catch (IOException e) {
            deleteQuietly(copy, e);
            throw new LoadException("plugin " + name + ": jar " + jar + " cannot be read (" + reason(e) + ")", e);
        }
        try (JarFile check = new JarFile(copy.toFile())) {
            check.size();
        } catch (ZipException e) {
            deleteQuietly(copy, e);
            throw new LoadException("plugin " + name + ": " + jar + " is not a jar (zip) file (" + reason(e) + ")", e);
        } catch (IOException e) {
            deleteQuietly(copy, e);
            throw new LoadException("plugin " + name + ": jar " + jar + " cannot be read (" + reason(e) + ")", e);
        }
        return copy;
    }

    /** What went wrong, without the exception's class name; the exception stays the cause. */
    private static String reason(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static URL url(String name, Path copy) {
        try {
            return copy.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("plugin " + name + ": bad jar path " + copy, e);
        }
    }

    /** The first provider whose class the plugin's own loader defined; see the class notes. */
    private S ownProvider(String name, Path jar, URLClassLoader loader) {
        List<String> skipped = new ArrayList<>();
        for (ServiceLoader.Provider<S> p : (Iterable<ServiceLoader.Provider<S>>)
                ServiceLoader.load(serviceType, loader).stream()::iterator) {
            Class<? extends S> type = p.type(); // loads the class, does not instantiate it
            if (type.getClassLoader() == loader) {
                return p.get();
            }
            skipped.add(type.getName() + " (" + type.getClassLoader() + ")");
        }
        throw new LoadException("plugin " + name + ": jar " + jar + " provides no " + serviceType.getName()
                + " of its own: list its implementation in META-INF/services/" + serviceType.getName()
                + " inside the jar" + (skipped.isEmpty() ? "" : "; skipped providers from outside the jar: " + skipped),
                null);
    }

    /**
     * The instance's destroy: closes the service. Its class loader is closed by
     * {@link #retire} on the same thread once the unload or upgrade has finished, so
     * that an upgrade's new version is live before the old loader's files are closed.
     */
    private void destroy(Plugin<S> p) throws Exception {
        if (p.service instanceof AutoCloseable) {
            Thread t = Thread.currentThread();
            ClassLoader previous = t.getContextClassLoader();
            t.setContextClassLoader(p.loader);
            try {
                ((AutoCloseable) p.service).close();
            } finally {
                t.setContextClassLoader(previous);
            }
        }
    }

    /**
     * The unload or upgrade that destroyed {@code p} is over (ModuleLoader's afterDestroy, on the
     * same thread, after an upgrade's new version is live): after one grace period of
     * {@link #grace()} (escaped objects used inside its sections are done), closes the class
     * loader, deletes the jar copy and starts watching for the loader's collection. Runs before
     * unload, upgrade and close return.
     */
    private void retire(Plugin<S> p) {
        grace.synchronize();
        try {
            p.loader.close();
            Files.deleteIfExists(p.copy);
        } catch (IOException e) {
            logFailure(null, e);
        } finally {
            watch.retire(p.name, p.loader, p.service.getClass());
        }
    }

    private static void closeQuietly(URLClassLoader loader, Throwable primary) {
        try {
            loader.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }

    private static void deleteQuietly(Path file, Throwable primary) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }

    private static void logPointFailure(String name, Throwable failure) {
        System.getLogger("dev.raceless.loader").log(System.Logger.Level.WARNING,
                "unloading plugin " + name + ": closing it failed; the unload went on", failure);
    }

    private static void logFailure(Runnable action, Throwable failure) {
        System.getLogger("dev.raceless.loader").log(System.Logger.Level.WARNING,
                "closing an unloaded plugin's class loader failed", failure);
    }
}
