package dev.raceless.loader;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When unload or upgrade returns, the old class loader is closed and so is every file it opened:
 * the process's open-file count is back where it was and no descriptor points at a plugin jar.
 */
class FileHandlesTest {
    @TempDir
    Path dir;

    @Test
    void unloadAndUpgradeLeaveNoPluginFileOpen() throws IOException, InterruptedException {
        Assumptions.assumeTrue(OpenFiles.available(), "needs /proc/self/fd");
        Path v1 = PluginJars.build(dir.resolve("greeter-1.jar"), "hello", "1", true);
        Path v2 = PluginJars.build(dir.resolve("greeter-2.jar"), "hello", "2", true);
        try (PluginHost<PluginService> host = new PluginHost<>(PluginService.class, name -> v1)) {
            host.call("greeter", s -> s.greet("warm up")); // the JDK opens some files once, lazily
            host.unload("greeter");
            long before = OpenFiles.count();
            for (int i = 0; i < 20; i++) {
                assertEquals("hello x 1", host.call("greeter", s -> s.greet("x")));
                assertTrue(OpenFiles.count() > before, "a loaded plugin holds its jar copy open");
                host.upgrade("greeter", v2);
                assertEquals("hello x 2", host.call("greeter", s -> s.greet("x")));
                host.upgrade("greeter", v1);
                host.unload("greeter");
                List<String> open = OpenFiles.matching("raceless-plugins-");
                assertTrue(open.isEmpty(), "plugin jars still open after unload returned: " + open);
            }
            assertEquals(before, OpenFiles.count(), "open files after 20 rounds of load, upgrade, unload");
        }
    }
}
