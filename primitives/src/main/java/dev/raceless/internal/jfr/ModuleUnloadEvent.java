package dev.raceless.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One unload or reload (upgrade) of a ModuleLoader's module, from the call to its result. */
@Name("dev.raceless.ModuleUnload")
@Label("Module Unload or Reload")
@Category("raceless")
@Description("A ModuleLoader unload or reload (PluginHost unload or upgrade) and its result; the duration is "
        + "the whole call: waiting for calls in flight, stop, destroy and, for a reload, the fresh load")
@StackTrace(false)
public final class ModuleUnloadEvent extends Event {
    /** Filled in by the emitter. */
    public ModuleUnloadEvent() {
    }

    /** Loader. */
    @Label("Loader")
    public String loader;
    /** Key. */
    @Label("Key")
    @Description("The module's key (a PluginHost's plugin name)")
    public String key;
    /** Operation. */
    @Label("Operation")
    @Description("unload, tryUnload, tryUnload(timeout), reload, tryReload or tryReload(timeout)")
    public String operation;
    /** Result. */
    @Label("Result")
    @Description("UNLOADED, BUSY, NOT_LOADED, RELOADED, LOADED, or the exception the call threw")
    public String result;
}
