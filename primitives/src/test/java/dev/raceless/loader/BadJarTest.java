package dev.raceless.loader;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plugin jar that is missing, unreadable or not a zip fails to load with a message naming the
 * plugin, the file and the reason, in the host's own words.
 */
class BadJarTest {
    @TempDir
    Path dir;

    private String loadFailure(String plugin) {
        try (PluginHost<PluginService> host =
                     new PluginHost<>(PluginService.class, name -> dir.resolve(name + ".jar"))) {
            LoadException e = assertThrows(LoadException.class, () -> host.call(plugin, s -> s.greet("x")));
            return e.getMessage();
        }
    }

    @Test
    void aMissingJarIsReportedAsMissing() {
        String m = loadFailure("absent");
        assertTrue(m.contains(dir.resolve("absent.jar").toString()) && m.contains("does not exist"), m);
    }

    @Test
    void theMessageSpeaksOfThePluginInTheHostsOwnWords() {
        String m = loadFailure("absent");
        assertEquals("plugin absent: jar " + dir.resolve("absent.jar") + " does not exist", m);
    }

    @Test
    void noMessageNamesAWrappedExceptionClass() throws IOException {
        Files.writeString(dir.resolve("text.jar"), "this is not a jar");
        Files.createDirectory(dir.resolve("folder.jar"));
        for (String plugin : new String[] {"absent", "text", "folder"}) {
            String m = loadFailure(plugin);
            assertTrue(m.startsWith("plugin " + plugin + ": "), m);
            assertFalse(m.contains("Exception") || m.contains("java.") || m.contains("module"), m);
        }
    }

    @Test
    void aFileThatIsNotAZipIsReportedAsNotAJar() throws IOException {
        Files.writeString(dir.resolve("text.jar"), "this is not a jar");
        String m = loadFailure("text");
        assertTrue(m.contains(dir.resolve("text.jar").toString()) && m.contains("not a jar"), m);
    }

    @Test
    void aDirectoryIsReportedAsNotAFile() throws IOException {
        Files.createDirectory(dir.resolve("folder.jar"));
        String m = loadFailure("folder");
        assertTrue(m.contains(dir.resolve("folder.jar").toString()) && m.contains("not a regular file"), m);
    }

    @Test
    void anUnreadableJarIsReportedAsUnreadable() throws IOException {
        Path jar = PluginJars.build(dir.resolve("locked.jar"), "hello", "v1", true);
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("---------"));
        Assumptions.assumeFalse(Files.isReadable(jar), "the file stays readable (running as root)");
        String m = loadFailure("locked");
        assertTrue(m.contains(jar.toString()) && m.contains("cannot be read"), m);
    }
}
