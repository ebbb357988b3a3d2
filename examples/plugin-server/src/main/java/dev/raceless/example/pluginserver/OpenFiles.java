package dev.raceless.example.pluginserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** This process's open regular files, from {@code /proc/self/fd} (Linux); -1 elsewhere. */
final class OpenFiles {
    private static final Path FDS = Path.of("/proc/self/fd");

    private OpenFiles() {
    }

    /** Descriptors that point at a file on disk (sockets, pipes and event fds are not counted). */
    static long regularFiles() throws IOException {
        if (!Files.isDirectory(FDS)) {
            return -1;
        }
        long n = 0;
        try (Stream<Path> s = Files.list(FDS)) {
            for (Path fd : (Iterable<Path>) s::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("/")) {
                        n++;
                    }
                } catch (IOException gone) {
                    // closed while we looked
                }
            }
        }
        return n;
    }
}
