package dev.raceless.loader;

import dev.raceless.refcount.UseCount;

import java.nio.file.Path;

/**
 * Run by {@link SelfWaitTest} in a child JVM with {@code -Ddev.raceless.refcount.debug=true}: the
 * self-wait scenarios of {@link SelfWaitScenarios}, each under a 1 s watchdog, including the raw
 * ModuleLoader handle that only debug mode can see. Plain {@code main}; exits non-zero at the
 * first failure.
 */
public final class SelfWaitDebugChild {
    static final String ALL_PASSED = "self-wait checks passed in debug mode";

    private SelfWaitDebugChild() {
    }

    public static void main(String[] args) throws Exception {
        SelfWaitScenarios.check(Boolean.getBoolean(UseCount.DEBUG_PROPERTY), "the debug property is set");
        SelfWaitScenarios.within1s("raw handle", SelfWaitScenarios::rawHandleHeldByTheUnloadingThread);
        Path dir = SelfWaitScenarios.tempDir();
        try (PluginHost<PluginService> host = SelfWaitScenarios.host(dir)) {
            SelfWaitScenarios.within1s("self-unload", () -> SelfWaitScenarios.selfUnload(host));
            SelfWaitScenarios.within1s("self-unload while another waits",
                    () -> SelfWaitScenarios.selfUnloadWhileAnotherUnloadWaits(host));
            SelfWaitScenarios.within1s("self-upgrade", () -> SelfWaitScenarios.selfUpgrade(host, dir));
        }
        System.out.println(ALL_PASSED);
    }
}
