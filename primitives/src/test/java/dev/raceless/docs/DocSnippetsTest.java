package dev.raceless.docs;

import dev.raceless.refcount.UseCount;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compiles every {@code ```java} block of the user documentation ({@link #DOCUMENTS}) against the
 * library, so that a snippet a reader copies compiles with the API as it is.
 *
 * <p><b>How a block is compiled.</b> Each block is one compilation unit in a package of its own
 * ({@code snippets.l<line>}), with {@code import static snippets.Doc.*;} added: {@code Doc} (the
 * {@link #STUBS} below) declares the application types the snippets use ({@code Request},
 * {@code Codec}, {@code Table}...). A doc writer who needs another application type adds it there.
 * The HTML comment on the line before the fence says what the block is (it does not show when the
 * Markdown is rendered):
 * <ul>
 * <li>no comment: the members of a class (fields, methods, nested types). Import lines at the top
 *     of the block stay at the top; the rest becomes the body of a class.</li>
 * <li>{@code <!-- snippet: method -->}: statements. Import lines at the top stay at the top; the
 *     rest becomes the body of {@code void run() throws Exception}.</li>
 * <li>{@code <!-- snippet: class -->}: a whole compilation unit (imports and top-level types),
 *     compiled as written.</li>
 * <li>{@code pending} added to any of these ({@code <!-- snippet: method pending -->}): the block
 *     shows an API that is not in the library yet. It is compiled and must fail; once it compiles
 *     the test fails and asks for the mark to be removed, so no block stays unchecked.</li>
 * </ul>
 * A block that is not Java (shell, XML, pseudo-code) is simply not tagged {@code java}.
 *
 * <p><b>Failures</b> name the document, the line of the block's opening fence, the line in the
 * document the compiler points at, and the compiler's message.
 *
 * <p>Surefire runs this test with {@code primitives/} as the working directory; the documents are
 * found by walking up to the directory that holds {@code README.md} and {@code docs/}. The
 * snippets compile on the class path (as a user's application would, in the unnamed module), with
 * the library's classes, however the tests themselves run (class path or module path).
 */
class DocSnippetsTest {

    /** The documents whose Java blocks must compile, relative to the repository root. */
    static final List<String> DOCUMENTS = List.of("README.md", "docs/getting-started.md");

    /** The application types the snippets use, as {@code snippets.Doc}'s nested types. */
    static final String STUBS = """
            package snippets;

            import java.nio.file.Path;
            import java.util.Map;

            public final class Doc {
                private Doc() {
                }

                public static final class Request {
                }

                public enum Result { OK, GONE }

                public static Result serve(Request r) {
                    return Result.OK;
                }

                public static void serve() {
                }

                public static void freeEverything() {
                }

                public interface Route {
                }

                public interface Table extends AutoCloseable {
                    Route get(String key);

                    @Override
                    default void close() {
                    }

                    static Table load() {
                        return key -> null;
                    }
                }

                public interface Event {
                }

                public interface Listener {
                    void on(Event e);
                }

                public interface Handler {
                    void handle(Event e);
                }

                public interface Codec extends AutoCloseable {
                    byte[] encode(byte[] data);

                    @Override
                    void close();

                    static Codec open(String name) {
                        return new Codec() {
                            @Override
                            public byte[] encode(byte[] data) {
                                return data;
                            }

                            @Override
                            public void close() {
                            }
                        };
                    }
                }

                public static final Path PLUGINS = Path.of("plugins");
                public static final Map<String, String> CONFIG = Map.of();
            }
            """;

    private static final Pattern MARK = Pattern.compile("<!--\\s*snippet:\\s*([a-z ,]+?)\\s*-->");
    private static final Pattern FENCE = Pattern.compile("^\\s*```\\s*([A-Za-z0-9_+-]*)\\s*$");
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "(?m)^public\\s+(?:(?:final|abstract|sealed|non-sealed)\\s+)*(?:class|interface|enum|record)\\s+(\\w+)");
    private static final Set<String> KINDS = Set.of("members", "method", "class");
    private static final Pattern ERROR = Pattern.compile("^(.*\\.java):(\\d+): error: (.*)$");
    private static final Pattern DETAIL = Pattern.compile("^\\s+(symbol|location|required|found|reason):.*$");

    /** One {@code ```java} block: where it is, what it is, its text. */
    record Block(String document, int fenceLine, String kind, boolean pending, List<String> lines) {
        String where() {
            return document + ":" + fenceLine;
        }
    }

    /** A block made into a compilation unit: its path, its source, where each block line went. */
    record Unit(Block block, String path, String source, int[] sourceLineOfBlockLine) {
        /** The document line the compiler's source line points at, or -1 outside the block's own text. */
        int documentLine(long sourceLine) {
            for (int i = 0; i < sourceLineOfBlockLine.length; i++) {
                if (sourceLineOfBlockLine[i] == sourceLine) {
                    return block.fenceLine() + 1 + i;
                }
            }
            return -1;
        }
    }

    @Test
    void everyJavaBlockOfTheUserDocsCompiles() throws IOException {
        Path root = repositoryRoot();
        List<Block> blocks = new ArrayList<>();
        for (String doc : DOCUMENTS) {
            blocks.addAll(blocks(doc, Files.readAllLines(root.resolve(doc), StandardCharsets.UTF_8)));
        }
        assertTrue(blocks.stream().anyMatch(b -> b.document().equals("README.md")),
                "no ```java block found in README.md: is the parser still reading the right files?");
        assertTrue(blocks.stream().anyMatch(b -> b.document().startsWith("docs/")),
                "no ```java block found in docs/getting-started.md");

        List<String> problems = new ArrayList<>();
        Map<Block, List<String>> errors = compile(blocks);
        for (Block b : blocks) {
            List<String> e = errors.get(b);
            if (b.pending()) {
                if (e.isEmpty()) {
                    problems.add(b.where() + ": marked pending but compiles now: remove 'pending' from its"
                            + " <!-- snippet: ... --> comment");
                } else {
                    System.out.println("[DocSnippetsTest] pending, does not compile yet: " + e.get(0));
                }
            } else {
                problems.addAll(e);
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " snippet problem(s):\n" + String.join("\n", problems));
        }
    }

    @Test
    void aBlockThatDoesNotCompileIsReportedWithItsDocumentAndLine() {
        Block bad = new Block("docs/example.md", 10, "method", false,
                List.of("import dev.raceless.refcount.UseCount;", "", "UseCount c = new UseCount();",
                        "c.noSuchMethod();"));
        Block good = new Block("docs/example.md", 20, "members", false,
                List.of("import dev.raceless.refcount.UseCount;", "final UseCount uses = new UseCount();",
                        "boolean take() { return uses.tryAcquire(); }"));
        Map<Block, List<String>> errors = compile(List.of(bad, good));
        assertTrue(errors.get(good).isEmpty(), "a correct block was reported: " + errors.get(good));
        List<String> e = errors.get(bad);
        assertTrue(!e.isEmpty() && e.get(0).startsWith("docs/example.md:10 (document line 14): ")
                && e.get(0).contains("noSuchMethod"), "the error does not name the document line: " + e);
    }

    /** The {@code ```java} blocks of one document, with the snippet mark of the line before each. */
    static List<Block> blocks(String doc, List<String> lines) {
        List<Block> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches() || open.group(1).isEmpty()) {
                continue;
            }
            int start = i;
            List<String> body = new ArrayList<>();
            for (i++; i < lines.size() && !FENCE.matcher(lines.get(i)).matches(); i++) {
                body.add(lines.get(i));
            }
            if (i == lines.size()) {
                throw new AssertionError(doc + ":" + (start + 1) + ": a ``` block is never closed");
            }
            if (!open.group(1).equals("java")) {
                continue;
            }
            String kind = "members";
            boolean pending = false;
            Matcher mark = start > 0 ? MARK.matcher(lines.get(start - 1)) : null;
            if (mark != null && mark.find()) {
                for (String word : mark.group(1).split("[ ,]+")) {
                    if (word.equals("pending")) {
                        pending = true;
                    } else if (KINDS.contains(word)) {
                        kind = word;
                    } else {
                        throw new AssertionError(doc + ":" + start + ": unknown snippet mark '" + word
                                + "' (members, method, class, pending)");
                    }
                }
            }
            found.add(new Block(doc, start + 1, kind, pending, body));
        }
        return found;
    }

    /**
     * Compiles every block in one run of javac, in this JVM; returns each block's errors (empty: it
     * compiled). javac is reached through {@link ToolProvider} (in {@code java.base}) rather than
     * {@code javax.tools}: the tests run inside the module {@code dev.raceless}, which does not read
     * {@code java.compiler}.
     */
    static Map<Block, List<String>> compile(List<Block> blocks) {
        DocSnippetsTest.class.getModule().addUses(ToolProvider.class);
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow(
                () -> new AssertionError("no javac in this JVM: run the tests on a JDK, not a JRE"));
        Path dir;
        try {
            dir = Files.createTempDirectory("raceless-doc-snippets-");
        } catch (IOException e) {
            throw new AssertionError("cannot make a directory for the snippets", e);
        }
        try {
            Map<String, Unit> byPath = new HashMap<>();
            List<String> args = new ArrayList<>(List.of("-proc:none", "-Xlint:none", "-encoding", "UTF-8",
                    "-d", dir.resolve("classes").toString(), "-classpath", classPath()));
            args.add(write(dir, "snippets/Doc.java", STUBS).toString());
            for (Block b : blocks) {
                Unit u = unit(b);
                Path file = write(dir, u.path(), u.source());
                byPath.put(file.toString(), u);
                args.add(file.toString());
            }
            StringWriter out = new StringWriter();
            try (PrintWriter w = new PrintWriter(out)) {
                javac.run(w, w, args.toArray(new String[0]));
            }
            return errors(blocks, byPath, out.toString());
        } finally {
            deleteTree(dir);
        }
    }

    /** javac's error lines ({@code path:line: error: message}, then detail lines), by block. */
    private static Map<Block, List<String>> errors(List<Block> blocks, Map<String, Unit> byPath, String output) {
        Map<Block, List<String>> errors = new IdentityHashMap<>();
        blocks.forEach(b -> errors.put(b, new ArrayList<>()));
        String[] lines = output.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            Matcher m = ERROR.matcher(lines[i]);
            if (!m.matches()) {
                continue;
            }
            StringBuilder message = new StringBuilder(m.group(3).replaceAll(";$", ""));
            for (int j = i + 1; j < lines.length && !ERROR.matcher(lines[j]).matches(); j++) {
                if (DETAIL.matcher(lines[j]).matches()) { // javac prints the source line and a caret first
                    message.append("; ").append(lines[j].strip().replaceAll("\\s+", " "));
                }
            }
            Unit u = byPath.get(m.group(1));
            if (u == null) {
                throw new AssertionError("javac failed outside the snippets (DocSnippetsTest.STUBS?): " + lines[i]
                        + "\n" + output);
            }
            int line = u.documentLine(Long.parseLong(m.group(2)));
            errors.get(u.block()).add(u.block().where() + (line > 0 ? " (document line " + line + ")" : "") + ": "
                    + message);
        }
        if (errors.values().stream().allMatch(List::isEmpty) && output.contains("error")) {
            throw new AssertionError("javac reported errors this test cannot place:\n" + output);
        }
        return errors;
    }

    private static Path write(Path dir, String path, String source) {
        try {
            Path file = dir.resolve(path);
            Files.createDirectories(file.getParent());
            return Files.writeString(file, source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot write " + path, e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    /** The compilation unit of a block, as its mark says. */
    static Unit unit(Block b) {
        List<String> lines = b.lines();
        int[] sourceLine = new int[lines.size()];
        StringBuilder src = new StringBuilder();
        int n = 0;
        src.append("package snippets.l").append(b.fenceLine()).append("; import static snippets.Doc.*;\n");
        n++;
        if (b.kind().equals("class")) {
            for (int i = 0; i < lines.size(); i++) {
                src.append(lines.get(i)).append('\n');
                sourceLine[i] = ++n;
            }
            Matcher type = PUBLIC_TYPE.matcher(String.join("\n", lines));
            return new Unit(b, path(b, type.find() ? type.group(1) : "Snippet"), src.toString(), sourceLine);
        }
        int i = 0;
        for (; i < lines.size() && isHeader(lines.get(i)); i++) {
            src.append(lines.get(i)).append('\n');
            sourceLine[i] = ++n;
        }
        src.append(b.kind().equals("method") ? "class Snippet { void run() throws Exception {\n" : "class Snippet {\n");
        n++;
        for (; i < lines.size(); i++) {
            src.append(lines.get(i)).append('\n');
            sourceLine[i] = ++n;
        }
        src.append(b.kind().equals("method") ? "}}\n" : "}\n");
        return new Unit(b, path(b, "Snippet"), src.toString(), sourceLine);
    }

    private static String path(Block b, String type) {
        return "snippets/l" + b.fenceLine() + "/" + type + ".java";
    }

    /** An import line or a blank line at the top of a block: it stays outside the class. */
    private static boolean isHeader(String line) {
        String t = line.strip();
        return t.isEmpty() || t.startsWith("import ");
    }

    /** The library's classes and whatever else the tests run with, as a class path for javac. */
    private static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        try {
            entries.add(Path.of(UseCount.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property, "");
            for (String entry : value.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    entries.add(entry);
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** The directory holding README.md and docs/, found from the working directory upward. */
    static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isRegularFile(p.resolve(DOCUMENTS.get(1)))) {
                return p;
            }
        }
        throw new AssertionError("no README.md with docs/getting-started.md above " + Path.of("").toAbsolutePath());
    }
}
