package dev.raceless.loader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Test support: this process's open files, from {@code /proc/self/fd} (Linux). */
final class OpenFiles {
    private static final Path FDS = Path.of("/proc/self/fd");

    private OpenFiles() {
    }

    static boolean available() {
        return Files.isDirectory(FDS);
    }

    /** The number of open file descriptors. */
    static long count() throws IOException {
        try (Stream<Path> s = Files.list(FDS)) {
            return s.count();
        }
    }

    /** The targets of open descriptors whose path contains {@code fragment}. */
    static List<String> matching(String fragment) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(FDS)) {
            for (Path fd : (Iterable<Path>) s::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.contains(fragment)) {
                        found.add(target);
                    }
                } catch (IOException gone) {
                    // closed while we looked (the descriptor of the listing itself, for one)
                }
            }
        }
        return found;
    }
}
