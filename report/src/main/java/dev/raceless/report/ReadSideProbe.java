package dev.raceless.report;

/**
 * Prints the read-side flavour of the JVM it runs in, as one line {@code FLAVOUR<TAB>reason}:
 * {@code ReadSide.active()} and {@code ReadSide.reason()} of the raceless classes on the class
 * path (benchmarks.jar holds them). {@link Flavours} starts it with the java and the options of
 * each kind of benchmark fork, so the report states what the forks ran, not what they were asked
 * to run. Where the flavour is forced but unavailable, class initialisation fails and the line is
 * {@code UNAVAILABLE<TAB>why}.
 *
 * <p>Reflective on purpose: this module has no compile-time dependency on the library.
 */
public final class ReadSideProbe {

    static final String UNAVAILABLE = "UNAVAILABLE";
    static final String READ_SIDE_CLASS = "dev.raceless.refcount.ReadSide";

    private ReadSideProbe() {
    }

    public static void main(String[] args) {
        String line;
        try {
            Class<?> c = Class.forName(READ_SIDE_CLASS);
            Object active = c.getMethod("active").invoke(null);
            Object reason = c.getMethod("reason").invoke(null);
            line = active + "\t" + reason;
        } catch (ClassNotFoundException e) {
            line = UNAVAILABLE + "\t" + READ_SIDE_CLASS + " is not on the class path";
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable t = e;
            while (t.getCause() != null) {
                t = t.getCause();
            }
            line = UNAVAILABLE + "\t" + (t.getMessage() == null ? t.toString() : t.getMessage());
        }
        System.out.println(line.replace('\n', ' '));
    }
}
