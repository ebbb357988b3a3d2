package dev.raceless.loader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A loaded plugin runs from a private copy of its jar: deleting the jar, or overwriting it in place
 * with another version, never breaks it; the next load reads what is on disk then.
 */
class JarReplacedOnDiskTest {
    @TempDir
    Path dir;

    @Test
    void aDeletedOrOverwrittenJarNeverBreaksTheLoadedPlugin() throws IOException, InterruptedException {
        Path jar = PluginJars.build(dir.resolve("greeter.jar"), "hello", "v1", true);
        Path other = PluginJars.build(dir.resolve("other.jar"), "hi", "v2", true);
        try (PluginHost<PluginService> host =
                new PluginHost<>(PluginService.class, name -> dir.resolve(name + ".jar"))) {
            assertEquals("hello x v1", host.call("greeter", s -> s.greet("x")));
            Files.delete(jar);
            assertEquals("hello y v1", host.call("greeter", s -> s.greet("y")), "the jar was deleted");
            Files.write(jar, Files.readAllBytes(other)); // overwritten in place, not replaced by a move
            assertEquals("hello z v1", host.call("greeter", s -> s.greet("z")), "the jar was overwritten");
            host.unload("greeter");
            assertEquals("hi x v2", host.call("greeter", s -> s.greet("x")), "the next load reads the new file");
        }
    }
}
