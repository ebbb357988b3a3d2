package dev.raceless.loader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link PluginHost} dropped without {@code close()} (after it loaded and unloaded a plugin)
 * leaves no thread behind: 200 dropped hosts do not leave 200 threads.
 */
class DroppedHostTest {
    @TempDir
    Path dir;

    @Test
    void twoHundredDroppedHostsDoNotLeaveTwoHundredThreads() throws Exception {
        PluginJars.build(dir.resolve("greeter.jar"), "hello", "v1", true);
        int before = hostThreads();
        for (int i = 0; i < 200; i++) {
            useAndDrop(dir);
        }
        int after = Integer.MAX_VALUE;
        for (int attempt = 0; attempt < 50 && after - before >= 10; attempt++) {
            System.gc();
            Thread.sleep(20); // let reference processing and cleaners run; a pause, not a measured wait
            after = hostThreads();
        }
        assertTrue(after - before < 10, (after - before) + " threads of dropped hosts are still alive");
    }

    private static void useAndDrop(Path dir) throws Exception {
        PluginHost<PluginService> host = new PluginHost<>(PluginService.class, name -> dir.resolve(name + ".jar"));
        host.call("greeter", s -> s.greet("x"));
        host.unload("greeter");
    }

    /** Live threads that belong to a plugin host (named after its grace domain). */
    private static int hostThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().contains("plugins-")).count();
    }
}
