package dev.raceless.testing;

import dev.raceless.refcount.ReadSide;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs a plain {@code main} in a child JVM on the class path of the library and the test classes,
 * for checks that need a system property read once at class initialisation (debug modes). The
 * child keeps the parent's read-side flavour. Fails the test if the child hangs or exits non-zero.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** Runs {@code main} with {@code properties} (each {@code name=value}); returns its output. */
    public static String run(Class<?> main, List<String> properties, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = location(ReadSide.class) + File.pathSeparator + location(main);
        List<String> command = new ArrayList<>(List.of(java));
        for (String p : properties) {
            command.add("-D" + p);
        }
        if (ReadSide.active() == ReadSide.ASYMMETRIC) {
            command.add("--enable-native-access=ALL-UNNAMED");
            command.add("-D" + ReadSide.PROPERTY + "=asymmetric");
        } else {
            command.add("-D" + ReadSide.PROPERTY + "=fenced");
        }
        command.addAll(List.of("-cp", cp, main.getName()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("raceless-child", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.redirectErrorStream(true);
            pb.redirectOutput(log.toFile()); // a file, not a pipe: a chatty child cannot block on it
            Process p = pb.start();
            boolean ended = p.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly().waitFor();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(ended, "child JVM hung:\n" + out);
            assertEquals(0, p.exitValue(), "child JVM failed:\n" + out);
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
