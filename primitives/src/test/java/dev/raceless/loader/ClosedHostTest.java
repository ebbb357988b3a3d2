package dev.raceless.loader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A closed {@link PluginHost} refuses every new load with an exception that says it is closed. */
class ClosedHostTest {
    @TempDir
    Path dir;

    @Test
    void aClosedHostRefusesToLoadAPluginAgain() throws IOException {
        PluginJars.build(dir.resolve("greeter.jar"), "hello", "v1", true);
        PluginHost<PluginService> host = new PluginHost<>(PluginService.class, name -> dir.resolve(name + ".jar"));
        assertEquals("hello x v1", host.call("greeter", s -> s.greet("x")));
        host.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> host.call("greeter", s -> s.greet("x")));
        assertEquals("this PluginHost is closed: refused to load plugin greeter", e.getMessage());
        assertThrows(IllegalStateException.class, () -> host.acquire("other"));
    }
}
