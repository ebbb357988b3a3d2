package dev.raceless.loader;

import dev.raceless.refcount.UseCount;
import dev.raceless.testing.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A blocking unload or upgrade of a plugin from inside a call to it (a plugin asking its host to
 * replace it) throws {@link IllegalStateException} saying so and changes nothing, instead of
 * waiting for itself forever; with and without debug mode, each scenario under a 1 s watchdog
 * (the documented result comes at once; the watchdog only turns a hang into a failure).
 */
class SelfWaitTest {
    @TempDir
    Path dir;

    private PluginHost<PluginService> host;

    @BeforeEach
    void loadHello() throws Exception {
        host = SelfWaitScenarios.host(dir); // builds the jars (javac) outside the watchdog
    }

    @AfterEach
    void closeHost() {
        host.close();
    }

    @Test
    void unloadFromInsideACallIsRefused() throws Exception {
        SelfWaitScenarios.within1s("self-unload", () -> SelfWaitScenarios.selfUnload(host));
    }

    @Test
    void upgradeFromInsideACallThroughABindingIsRefused() throws Exception {
        SelfWaitScenarios.within1s("self-upgrade", () -> SelfWaitScenarios.selfUpgrade(host, dir));
    }

    @Test
    void unloadFromInsideACallWhileAnotherUnloadWaitsIsRefused() throws Exception {
        SelfWaitScenarios.within1s("self-unload while another waits",
                () -> SelfWaitScenarios.selfUnloadWhileAnotherUnloadWaits(host));
    }

    @Test
    void aThreadThePluginStartedMayUpgradeIt() throws Exception {
        SelfWaitScenarios.within1s("upgrade by the plugin's thread",
                () -> SelfWaitScenarios.upgradeByAThreadThePluginStarted(host, dir));
    }

    @Test
    void inDebugModeToo() throws Exception {
        String out = ChildJvm.run(SelfWaitDebugChild.class, List.of(UseCount.DEBUG_PROPERTY + "=true"));
        assertTrue(out.contains(SelfWaitDebugChild.ALL_PASSED), out);
    }
}
