package dev.raceless.loader;

/** What an unload did. */
public enum UnloadResult {
    /** This call unloaded the instance: destroy has run and the key can be loaded afresh. */
    UNLOADED,
    /** Calls were in flight and this call changed nothing (four points: stop, then start again). */
    BUSY,
    /** No live instance was loaded for the key, or another unload owns it. */
    NOT_LOADED
}
