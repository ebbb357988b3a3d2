package dev.raceless.loader;

import dev.raceless.grace.QuiescentDomain;

import java.util.Objects;
import java.util.function.Function;

/**
 * A caller's standing reference to one plugin of a {@link PluginHost}: made once with
 * {@link PluginHost#bind(String)} and kept (a field of a router), its {@link #call(Function)} is
 * {@link PluginHost#call(String, Function)} without looking the name up. It follows upgrades and
 * unloads as {@code call} does: after an upgrade the next call reaches the new version, never the
 * old one; during an upgrade or a blocking unload it waits; after an unload it loads the plugin
 * again. Its hot path is {@link Binding}'s (one volatile read and the instance's use pair) plus
 * the context class loader switch of every plugin call.
 *
 * <p>A binding keeps nothing of an unloaded version reachable: its class loader can be collected
 * while the binding is kept ({@link PluginHost#whenCollected(String)}).
 *
 * @param <S> the service interface plugins provide
 */
public final class PluginBinding<S> {
    private final Binding<PluginHost.Plugin<S>> plugin;
    private final String name;

    PluginBinding(Binding<PluginHost.Plugin<S>> plugin, String name) {
        this.plugin = plugin;
        this.name = name;
    }

    /**
     * Calls {@code fn} with the plugin's service, inside a use of it, with the plugin's class
     * loader as the thread's context class loader: as {@link PluginHost#call(String, Function)}.
     *
     * @param <R> the type of the result
     * @param fn the function to apply to the plugin's service
     * @return what {@code fn} returned
     * @throws LoadException if the plugin cannot be loaded
     * @throws IllegalStateException if the plugin is not live and the host is closed
     */
    public <R> R call(Function<? super S, ? extends R> fn) {
        Objects.requireNonNull(fn, "fn");
        return PluginHost.callIn(plugin.acquire(), fn);
    }

    /**
     * Calls {@code fn} with the plugin's service, with the plugin's class loader as the thread's
     * context class loader, and with no use count if the caller is an online reader of the host's
     * {@link QuiescentDomain} (a host in quiescent mode): as
     * {@link Binding#call(QuiescentDomain.Reader, Function)}, whose rules {@code fn} must keep. In
     * every other case it is {@link #call(Function)}.
     *
     * @param <R> the type of the result
     * @param reader the calling thread's registration with the host's domain
     * @param fn the function to apply to the plugin's service
     * @return what {@code fn} returned
     * @throws LoadException if the plugin cannot be loaded
     * @throws IllegalStateException if {@code reader} is another thread's online Reader of the
     *         host's domain, or as {@link #call(Function)}
     */
    public <R> R call(QuiescentDomain.Reader reader, Function<? super S, ? extends R> fn) {
        PluginHost.Plugin<S> p = plugin.uncounted(reader);
        if (p != null) {
            return PluginHost.uncountedCall(p, fn);
        }
        Objects.requireNonNull(fn, "fn");
        return PluginHost.callIn(plugin.acquireFor(reader), fn);
    }

    /**
     * The live plugin with a use taken, loading it if needed: as {@link PluginHost#acquire(String)}.
     * End the use with {@link ModuleLoader.Handle#release()}.
     *
     * @return the handle of the live plugin, with a use held for the caller
     * @throws LoadException if the plugin cannot be loaded
     * @throws IllegalStateException if the plugin is not live and the host is closed
     */
    public ModuleLoader.Handle<PluginHost.Plugin<S>> acquire() {
        return plugin.acquire();
    }

    /**
     * The live plugin with a use taken, or {@code null} if it is not live now; never loads, never
     * blocks.
     *
     * @return the handle of the live plugin, with a use held for the caller, or {@code null}
     */
    public ModuleLoader.Handle<PluginHost.Plugin<S>> tryAcquire() {
        return plugin.tryAcquire();
    }

    /** {@return the plugin's name} */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "PluginBinding[" + name + "]";
    }
}
