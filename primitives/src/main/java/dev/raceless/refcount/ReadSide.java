package dev.raceless.refcount;

import dev.raceless.internal.Flavour;

/**
 * How readers of {@link UseCount} and {@code GraceDomain} announce themselves on this JVM: chosen
 * once, when the first of them is initialised, and never switched while readers run.
 *
 * <p><b>Choice.</b> {@code auto} (the default for the system property {@value #PROPERTY}) chooses
 * {@link #ASYMMETRIC} only where each condition it relies on is checked positively, and
 * {@link #FENCED} everywhere else:
 * <ul>
 * <li>Linux on x86_64 (amd64) or aarch64;</li>
 * <li>a HotSpot VM ({@code java.vm.name}, vendor and version strings free of GraalVM and JVMCI
 * marks) whose JIT is C2 and C1, C2 alone, C1 alone or none ({@code CompilationMXBean}), with no
 * JVMCI compiler ({@code HotSpotDiagnosticMXBean}: {@code EnableJVMCI} and
 * {@code UseJVMCICompiler} false or absent);</li>
 * <li>a JDK feature version whose compiled read side has been verified: 22 to 25. A newer JDK is
 * FENCED until it is verified;</li>
 * <li>native access granted to the library ({@code --enable-native-access=dev.raceless}, or
 * {@code =ALL-UNNAMED} on the class path): the deployment's explicit opt-in;</li>
 * <li>the kernel accepts {@code membarrier} registration (no seccomp refusal).</li>
 * </ul>
 * {@link #reason()} names the first condition that failed, or what was found when all held.
 *
 * <p><b>Forcing.</b> {@code fenced} forces FENCED. {@code asymmetric} forces ASYMMETRIC on a JDK
 * newer than the verified range too (every other condition still applies) and fails class
 * initialisation, with the reason, where it is unavailable, so a test never runs silently in the
 * other flavour. The design note {@code docs/read-side.md} gives the proof of each flavour, what the
 * asymmetric one relies on beyond the Java memory model, and how each JDK is verified.
 */
public enum ReadSide {
    /**
     * Readers on platform threads write a slot owned by their thread with release stores and no
     * fence; every updater that counts readers first runs Linux
     * {@code membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)}, which makes every running thread's
     * earlier stores visible. Chosen by {@code auto} where every condition above holds.
     */
    ASYMMETRIC,
    /**
     * Everything the Java memory model proves on its own: grace-domain readers make one volatile
     * store on entry and a release store on exit (the waiting updater rescans); use counts make one
     * atomic add on a padded stripe on each side. Chosen everywhere else.
     */
    FENCED;

    /** The system property that forces a flavour. */
    public static final String PROPERTY = Flavour.PROPERTY;

    private static final ReadSide ACTIVE = Flavour.ASYMMETRIC ? ASYMMETRIC : FENCED;

    /**
     * The flavour of this JVM.
     *
     * @return the flavour chosen when the library was initialised
     */
    public static ReadSide active() {
        return ACTIVE;
    }

    /**
     * Why this flavour was chosen.
     *
     * @return a sentence: which condition of the asymmetric flavour failed, what forced the flavour,
     *         or the platform, JVM and JIT the asymmetric flavour was chosen on
     */
    public static String reason() {
        return Flavour.REASON;
    }
}
