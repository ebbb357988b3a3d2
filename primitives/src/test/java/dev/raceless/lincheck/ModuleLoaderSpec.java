package dev.raceless.lincheck;

import dev.raceless.loader.UnloadResult;

/**
 * The sequential specification of a {@code ModuleLoader} of one key; mirrors
 * {@link ModuleLoaderLincheckTest}'s operations. A request loads the key if it is not loaded (a
 * new generation) and holds a use; an unload of a loaded idle instance ends it.
 */
public final class ModuleLoaderSpec {
    private boolean loaded;
    private int generation;
    private final Holdings holdings = new Holdings();

    public int acquire(int thread) {
        if (!loaded) {
            loaded = true;
            generation++;
        }
        holdings.took(thread);
        return generation;
    }

    public boolean release(int thread) {
        if (!holdings.holds(thread)) {
            return false;
        }
        holdings.dropped(thread);
        return true;
    }

    public UnloadResult tryUnload() {
        if (!loaded) {
            return UnloadResult.NOT_LOADED;
        }
        if (holdings.any()) {
            return UnloadResult.BUSY;
        }
        loaded = false;
        return UnloadResult.UNLOADED;
    }

    public boolean isLoaded() {
        return loaded;
    }
}
