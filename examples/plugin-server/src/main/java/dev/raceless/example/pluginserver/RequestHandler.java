package dev.raceless.example.pluginserver;

/**
 * The service a plugin of the server provides: it answers the part of a request path after
 * {@code /{plugin}}. Plugins list their implementation in
 * {@code META-INF/services/dev.raceless.example.pluginserver.RequestHandler}.
 */
public interface RequestHandler {
    /** The response body for {@code path} (for {@code /greeter/hello}: {@code /hello}). */
    String handle(String path);
}
