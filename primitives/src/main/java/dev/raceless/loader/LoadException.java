package dev.raceless.loader;

/**
 * A module instance could not be made: its factory or {@code init} threw (the cause; a
 * {@link PluginHost}'s message names the plugin, the jar and the reason). Nothing is left half
 * loaded; a later request for the key tries again.
 */
public final class LoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception for the module of {@code key}.
     *
     * @param key the key whose module could not be made
     * @param cause what the factory or {@code init} threw
     */
    public LoadException(Object key, Throwable cause) {
        super("loading module " + key + " failed: " + cause, cause);
    }

    /**
     * Creates the exception with a message of its owner's words ({@link PluginHost}: the plugin,
     * the file and the reason).
     *
     * @param message what could not be loaded, and why
     * @param cause what was thrown, or {@code null}
     */
    LoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
