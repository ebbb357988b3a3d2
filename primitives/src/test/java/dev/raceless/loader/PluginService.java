package dev.raceless.loader;

/**
 * Test support: the service interface the test plugins implement (see {@link PluginJars}). It lives
 * in the host (the test sources), so plugin class loaders see it through their parent.
 */
public interface PluginService {
    /**
     * One call into the plugin. The test plugins read a resource from their own jar on every
     * call and load a class of their own on the first one, and throw IllegalStateException if
     * their class loader is closed or the service was closed (destroyed) before or during the call.
     */
    String greet(String who);
}
