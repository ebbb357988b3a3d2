package dev.raceless.loader;

/** What a reload did. */
public enum ReloadResult {
    /** The old instance was destroyed and a fresh one, made by the factory, is live. */
    RELOADED,
    /** No instance was live: a fresh one was loaded and is live. */
    LOADED,
    /**
     * Calls were in flight (or another unload or reload owned the instance, or its first load was
     * still running) and this call changed nothing: the instance that was live serves on.
     */
    BUSY
}
