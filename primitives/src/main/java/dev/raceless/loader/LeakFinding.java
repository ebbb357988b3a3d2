package dev.raceless.loader;

import java.util.Objects;

/**
 * A likely reason why the class loader of an unloaded plugin is still reachable: an object of the
 * JVM (a thread, a registered driver, a logger, an MBean) that refers to the plugin's classes or
 * class loader, found the way Tomcat's web-application class loader looks for them at undeploy.
 * Reported by {@link PluginHost#findLeaks(String)} and to a host's leak listener.
 *
 * @param kind the kind of holder found
 * @param plugin the name of the plugin whose class loader is held
 * @param holder the holding object, described (for example {@code thread "poller" (id 42)})
 * @param advice what the plugin should do in its destroy (its {@code close()}) to release it
 */
public record LeakFinding(Kind kind, String plugin, String holder, String advice) {
    /** What kind of holder was found. */
    public enum Kind {
        /** A live thread that runs the plugin's code, or is an instance of one of its classes. */
        THREAD,
        /** A live thread whose context class loader is the plugin's class loader. */
        CONTEXT_CLASS_LOADER,
        /** A {@code java.util.Timer} thread the plugin started (its context class loader is the plugin's). */
        TIMER,
        /** A JDBC driver of the plugin's, still registered with {@code java.sql.DriverManager}. */
        JDBC_DRIVER,
        /** A {@code java.util.logging} handler, level or filter of one of the plugin's classes. */
        LOGGING,
        /** A platform MBean whose class the plugin's class loader defined. */
        MBEAN
    }

    /**
     * A finding; every component is required.
     *
     * @param kind the kind of holder found
     * @param plugin the name of the plugin whose class loader is held
     * @param holder the holding object, described
     * @param advice what the plugin should do in its destroy to release it
     * @throws NullPointerException if a component is null
     */
    public LeakFinding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(plugin, "plugin");
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(advice, "advice");
    }

    @Override
    public String toString() {
        return "plugin " + plugin + ": " + kind + " " + holder + " (" + advice + ")";
    }
}
