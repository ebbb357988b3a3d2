package dev.raceless.internal;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import java.util.Optional;

/**
 * Linux {@code membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)}, the heavy half of an asymmetric fence,
 * reached through {@code java.lang.foreign} by reflection so that this release-17 class file runs
 * on every JDK: on JDK 22+ with native access it works, everywhere else {@link #AVAILABLE} is false
 * and {@link #REASON} says why.
 *
 * <p>The guarantee used (membarrier(2)): when the call returns, every running thread of this
 * process has passed through a state in which all its memory accesses match program order. So a
 * reader's store that precedes (in program order) a load of the updater's word either is visible
 * to the updater's loads after the call, or that load runs after the call and sees the word.
 */
public final class Membarrier {
    /*
     * Implementation notes.
     *
     * The probe runs once, in the static initialiser, and touches java.lang.foreign only after
     * Module.isNativeAccessEnabled() (JDK 22+, never warns) said yes: a restricted method called
     * without native access prints a warning (JDK 22+) or throws (--illegal-native-access=deny).
     * Steps, each a reason to stay FENCED when it fails:
     *   1. Linux on x86_64 or aarch64 (syscall numbers 324 and 283).
     *   2. The JIT is one whose ordering of release and opaque stores before later volatile loads
     *      is known (docs/read-side.md): HotSpot's C2 (with or without C1), C1 alone, or the
     *      interpreter. Positive checks, all required:
     *        - java.vm.name names HotSpot ("OpenJDK ... VM" or "Java HotSpot(TM) ... VM") and
     *          neither java.vm.vendor, java.vm.version, java.vendor.version nor java.vm.info
     *          mentions GraalVM or JVMCI, and this is no native image;
     *        - HotSpotDiagnosticMXBean: EnableJVMCI and UseJVMCICompiler are false or absent
     *          (absent: the flags are experimental and locked, or the VM was built without
     *          JVMCI; either way no JVMCI compiler runs). Needs module jdk.management (a full
     *          JDK resolves it, as a provider of java.management's platform beans; a jlink
     *          image may lack it): without it the probe cannot look, and says so;
     *        - the compiler that CompilationMXBean names is one of HotSpot's own ("HotSpot
     *          ... Tiered Compilers", "... Server Compiler", "... Client Compiler"), or there is
     *          none (-Xint).
     *      The JDK feature version is checked by Flavour, not here: forcing the flavour skips it.
     *   3. Module.isNativeAccessEnabled() on this class's module (named dev.raceless, or the
     *      unnamed module on the class path).
     *   4. A downcall handle to libc's variadic syscall(long, ...), all arguments passed as long.
     *   5. MEMBARRIER_CMD_QUERY lists PRIVATE_EXPEDITED; REGISTER_PRIVATE_EXPEDITED returns 0.
     *      A seccomp profile may answer -1 (EPERM) and an old kernel -1 (ENOSYS or EINVAL).
     * The handle is a static final MethodHandle of type (long,long,long,long)long, called with
     * invokeExact, so the JIT links it like any downcall.
     */

    private static final long CMD_QUERY = 0;
    private static final long CMD_PRIVATE_EXPEDITED = 1 << 3;
    private static final long CMD_REGISTER_PRIVATE_EXPEDITED = 1 << 4;

    /** Whether {@link #heavyBarrier()} issues the system call. */
    public static final boolean AVAILABLE;
    /** Why the asymmetric flavour is (or is not) available, for diagnostics. */
    public static final String REASON;
    private static final MethodHandle SYSCALL;
    private static final java.util.concurrent.atomic.AtomicLong CALLS = new java.util.concurrent.atomic.AtomicLong();
    private static final long NR;

    static {
        String[] why = new String[2]; // why[1]: the JIT the probe accepted
        long nr = syscallNumber(why);
        MethodHandle mh = null;
        if (nr > 0 && knownCompiler(why) && nativeAccess(why)) {
            mh = link(why);
            if (mh != null && !register(mh, nr, why)) {
                mh = null;
            }
        }
        NR = nr;
        SYSCALL = mh;
        AVAILABLE = mh != null;
        REASON = AVAILABLE ? "membarrier(PRIVATE_EXPEDITED) registered through java.lang.foreign; "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version") + ", JIT: " + why[1]
                + ", no JVMCI; " + System.getProperty("os.name") + " " + System.getProperty("os.arch") : why[0];
    }

    private Membarrier() {
    }

    /**
     * Runs the heavy barrier: every running thread of the process executes a full fence before this
     * returns. About a microsecond. Does nothing when {@link #AVAILABLE} is false.
     */
    public static void heavyBarrier() {
        if (AVAILABLE) {
            CALLS.getAndIncrement(); // slow path only: counts what a batch saves (tests, JFR later)
            long r;
            try {
                r = (long) SYSCALL.invokeExact(NR, CMD_PRIVATE_EXPEDITED, 0L, 0L);
            } catch (Throwable t) {
                throw new IllegalStateException("membarrier(PRIVATE_EXPEDITED) failed", t);
            }
            if (r != 0) { // cannot happen after a successful REGISTER; never continue without the fence
                throw new IllegalStateException("membarrier(PRIVATE_EXPEDITED) returned " + r
                        + " after a successful registration");
            }
        }
    }

    /**
     * {@code membarrier(MEMBARRIER_CMD_QUERY)}: a system call on the calling thread that makes no
     * other thread run a fence. For tests only: the control that tells the heavy barrier from a
     * mere delay ({@code AsymmetricDekkerDelayControl}).
     *
     * @return the command mask the kernel reports
     * @throws IllegalStateException if {@link #AVAILABLE} is false
     */
    public static long query() {
        if (!AVAILABLE) {
            throw new IllegalStateException("membarrier is unavailable: " + REASON);
        }
        try {
            return (long) SYSCALL.invokeExact(NR, CMD_QUERY, 0L, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("membarrier(QUERY) failed", t);
        }
    }

    /** How many heavy barriers this JVM has run since start (0 when unavailable). */
    public static long calls() {
        return CALLS.get();
    }

    // ---------------------------------------------------------------- the probe

    private static long syscallNumber(String[] why) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.startsWith("linux")) {
            why[0] = "not Linux (os.name=" + os + ")";
            return -1;
        }
        switch (arch) {
            case "amd64":
            case "x86_64":
                return 324;
            case "aarch64":
                return 283;
            default:
                why[0] = "no membarrier syscall number known for os.arch=" + arch;
                return -1;
        }
    }

    private static boolean knownCompiler(String[] why) {
        String vm = System.getProperty("java.vm.name", "");
        String marks = (System.getProperty("java.vm.vendor", "") + " " + System.getProperty("java.vm.version", "")
                + " " + System.getProperty("java.vendor.version", "") + " " + System.getProperty("java.vm.info", ""))
                .toLowerCase(Locale.ROOT);
        boolean hotspot = vm.contains("HotSpot") || vm.startsWith("OpenJDK");
        if (!hotspot || marks.contains("graal") || marks.contains("jvmci")
                || "true".equals(System.getProperty("jdk.internal.vm.ci.enabled"))
                || System.getProperty("org.graalvm.nativeimage.imagecode") != null) {
            why[0] = "not HotSpot without JVMCI (java.vm.name=" + vm + ", vendor/version/info: " + marks.trim()
                    + "): the ordering of release stores before volatile loads is checked for C2, C1 and "
                    + "the interpreter only";
            return false;
        }
        String jvmci = jvmciFlags();
        if (jvmci != null) {
            why[0] = jvmci;
            return false;
        }
        String compiler = compilerName();
        if (compiler != null && !(compiler.startsWith("HotSpot") && (compiler.endsWith("Tiered Compilers")
                || compiler.endsWith("Server Compiler") || compiler.endsWith("Client Compiler")))) {
            why[0] = "the JIT is \"" + compiler + "\", not HotSpot's C2 or C1: its ordering of release "
                    + "stores before volatile loads is not verified";
            return false;
        }
        why[1] = compiler == null ? "none (interpreter only)" : compiler;
        return true;
    }

    /** Null if EnableJVMCI and UseJVMCICompiler are off or absent; else why this JVM is refused. */
    private static String jvmciFlags() {
        Object bean;
        java.lang.reflect.Method getVMOption;
        try {
            Class<?> beanC = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
            Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
            bean = factory.getMethod("getPlatformMXBean", Class.class).invoke(null, beanC);
            getVMOption = beanC.getMethod("getVMOption", String.class);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return "cannot check that no JVMCI compiler runs: HotSpotDiagnosticMXBean is unavailable (" + e
                    + "; add --add-modules jdk.management, or put it in the jlink image)";
        }
        for (String flag : new String[] {"EnableJVMCI", "UseJVMCICompiler"}) {
            try {
                Object option = getVMOption.invoke(bean, flag);
                Object value = option.getClass().getMethod("getValue").invoke(option);
                if (!"false".equals(value)) {
                    return "-XX:" + flag + " is " + value + ": a JVMCI compiler (Graal) may compile the read side, "
                            + "and its ordering of release stores before volatile loads is not verified";
                }
            } catch (InvocationTargetException e) {
                if (!(e.getCause() instanceof IllegalArgumentException)) { // IAE: no such (visible) flag
                    return "cannot read -XX:" + flag + ": " + e.getCause();
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                return "cannot read -XX:" + flag + ": " + e;
            }
        }
        return null;
    }

    /** CompilationMXBean's name of the JIT, or null when the JVM has none (-Xint). */
    private static String compilerName() {
        try {
            Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
            Object bean = factory.getMethod("getCompilationMXBean").invoke(null);
            Class<?> beanC = Class.forName("java.lang.management.CompilationMXBean");
            return bean == null ? null : (String) beanC.getMethod("getName").invoke(bean);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return System.getProperty("sun.management.compiler"); // the name the bean reports
        }
    }

    private static boolean nativeAccess(String[] why) {
        try {
            Object enabled = Module.class.getMethod("isNativeAccessEnabled").invoke(Membarrier.class.getModule());
            if (!Boolean.TRUE.equals(enabled)) {
                Module m = Membarrier.class.getModule();
                why[0] = "native access is not enabled for "
                        + (m.isNamed() ? "module " + m.getName() : "the class path")
                        + " (run with --enable-native-access=" + (m.isNamed() ? m.getName() : "ALL-UNNAMED") + ")";
                return false;
            }
            return true;
        } catch (NoSuchMethodException e) {
            why[0] = "JDK " + Runtime.version().feature() + " has no java.lang.foreign (JDK 22+ needed)";
            return false;
        } catch (ReflectiveOperationException | RuntimeException e) {
            why[0] = "cannot ask Module.isNativeAccessEnabled(): " + e;
            return false;
        }
    }

    /** syscall(long, ...) as (long,long,long,long)long, variadic from the second argument. */
    private static MethodHandle link(String[] why) {
        try {
            Class<?> linkerC = Class.forName("java.lang.foreign.Linker");
            Class<?> optionC = Class.forName("java.lang.foreign.Linker$Option");
            Class<?> lookupC = Class.forName("java.lang.foreign.SymbolLookup");
            Class<?> layoutC = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> descC = Class.forName("java.lang.foreign.FunctionDescriptor");
            Class<?> segmentC = Class.forName("java.lang.foreign.MemorySegment");
            Object jlong = Class.forName("java.lang.foreign.ValueLayout").getField("JAVA_LONG").get(null);

            Object linker = linkerC.getMethod("nativeLinker").invoke(null);
            Object lookup = linkerC.getMethod("defaultLookup").invoke(linker);
            Optional<?> symbol = (Optional<?>) lookupC.getMethod("find", String.class).invoke(lookup, "syscall");
            if (symbol.isEmpty()) {
                why[0] = "libc has no syscall symbol";
                return null;
            }
            Object args = Array.newInstance(layoutC, 4);
            for (int i = 0; i < 4; i++) {
                Array.set(args, i, jlong);
            }
            Object desc = descC.getMethod("of", layoutC, args.getClass()).invoke(null, jlong, args);
            Object options = Array.newInstance(optionC, 1);
            Array.set(options, 0, optionC.getMethod("firstVariadicArg", int.class).invoke(null, 1));
            return (MethodHandle) linkerC.getMethod("downcallHandle", segmentC, descC, options.getClass())
                    .invoke(linker, symbol.get(), desc, options);
        } catch (InvocationTargetException e) {
            why[0] = "linking syscall failed: " + e.getCause();
            return null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            why[0] = "linking syscall failed: " + e;
            return null;
        }
    }

    private static boolean register(MethodHandle mh, long nr, String[] why) {
        try {
            long mask = (long) mh.invokeExact(nr, CMD_QUERY, 0L, 0L);
            if (mask < 0) {
                why[0] = "membarrier(QUERY) returned " + mask + " (ENOSYS, or refused by a seccomp profile)";
                return false;
            }
            if ((mask & CMD_PRIVATE_EXPEDITED) == 0) {
                why[0] = "membarrier(QUERY) does not list PRIVATE_EXPEDITED (mask " + mask + ")";
                return false;
            }
            long r = (long) mh.invokeExact(nr, CMD_REGISTER_PRIVATE_EXPEDITED, 0L, 0L);
            if (r != 0) {
                why[0] = "membarrier(REGISTER_PRIVATE_EXPEDITED) returned " + r + " (EPERM: seccomp?)";
                return false;
            }
            long probe = (long) mh.invokeExact(nr, CMD_PRIVATE_EXPEDITED, 0L, 0L);
            if (probe != 0) {
                why[0] = "membarrier(PRIVATE_EXPEDITED) returned " + probe + " after registering";
                return false;
            }
            return true;
        } catch (Throwable t) {
            why[0] = "calling membarrier failed: " + t;
            return false;
        }
    }
}
