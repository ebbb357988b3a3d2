package dev.raceless.refcount;

import dev.raceless.internal.Flavour;

/**
 * How readers of {@link UseCount} and {@code GraceDomain} announce themselves on this JVM: chosen
 * once, when the first of them is initialised, and never switched while readers run.
 *
 * <p>Force one with the system property {@value #PROPERTY} ({@code fenced}, {@code asymmetric} or
 * {@code auto}, the default). {@code asymmetric} fails class initialisation, with the reason, where
 * it is unavailable. The design note {@code docs/read-side.md} gives the proof of each flavour and
 * what the asymmetric one relies on beyond the Java memory model.
 */
public enum ReadSide {
    /**
     * Readers on platform threads write a slot owned by their thread with release stores and no
     * fence; every updater that counts readers first runs Linux
     * {@code membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)}, which makes every running thread's
     * earlier stores visible. Chosen on JDK 22+ on Linux (x86_64, aarch64) with HotSpot's C2, when
     * the library's module (or the class path, for the unnamed module) has native access
     * ({@code --enable-native-access=dev.raceless} or {@code =ALL-UNNAMED}) and the kernel accepts
     * the registration.
     */
    ASYMMETRIC,
    /**
     * Everything the Java memory model proves on its own: grace-domain readers make one volatile
     * store on entry and a release store on exit (the waiting updater rescans); use counts make one
     * atomic add on a padded stripe on each side. Chosen everywhere else.
     */
    FENCED;

    /** The system property that forces a flavour. */
    public static final String PROPERTY = "dev.raceless.readside";

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
     * @return a sentence, for example which condition of the asymmetric flavour failed
     */
    public static String reason() {
        return Flavour.REASON;
    }
}
