package dev.raceless.internal;

import java.util.Locale;

/**
 * The read-side flavour of this JVM, fixed once at class initialisation and never switched while
 * readers run (a counter's readers and its updater must agree on the protocol for its whole life).
 * The public face is {@code dev.raceless.refcount.ReadSide}.
 */
public final class Flavour {
    /*
     * Implementation notes.
     *
     * Property dev.raceless.readside (PROPERTY, which ReadSide.PROPERTY names for users):
     *   auto        (default) ASYMMETRIC if the JDK's feature version is one whose compiled read
     *               side has been verified (VERIFIED_MIN to VERIFIED_MAX: the codegen check
     *               jmh-benchmarks/codegen/store-before-load.sh and the jcstress suite with C2's
     *               stress flags passed on it) and Membarrier's probe succeeds; else FENCED. A JDK
     *               outside the range never initialises Membarrier (nothing is linked or registered)
     *   fenced      FENCED; java.lang.foreign is never touched
     *   asymmetric  ASYMMETRIC on any JDK whose probe succeeds (the version check is skipped; the
     *               compiler, platform and kernel checks are not), or an ExceptionInInitializerError
     *               naming the reason: tests that force a flavour must never run silently in the
     *               other one
     * Why auto and not opt-in: the asymmetric side needs --enable-native-access, which a deployment
     * grants on purpose, and auto turns it on only where every condition is checked positively
     * (Membarrier's notes); everywhere else auto is FENCED, which the Java memory model proves.
     * The hot paths read ASYMMETRIC, a static final boolean: the JIT folds the branch away.
     */

    /** Forces a flavour: {@code fenced}, {@code asymmetric} (fails if unavailable) or {@code auto}. */
    public static final String PROPERTY = "dev.raceless.readside";

    /** The oldest JDK feature version on which auto may choose ASYMMETRIC (java.lang.foreign is final). */
    public static final int VERIFIED_MIN = 22;
    /** The newest JDK feature version whose compiled read side has been verified; newer ones are FENCED in auto. */
    public static final int VERIFIED_MAX = 25;

    /** Whether readers on platform threads use unfenced owned slots and updaters the heavy barrier. */
    public static final boolean ASYMMETRIC;
    /** Why this flavour was chosen. */
    public static final String REASON;

    static {
        String p = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (p) {
            case "fenced":
                ASYMMETRIC = false;
                REASON = "forced by -D" + PROPERTY + "=fenced";
                break;
            case "asymmetric":
                if (!Membarrier.AVAILABLE) {
                    throw new IllegalStateException("-D" + PROPERTY
                            + "=asymmetric, but the asymmetric read side is unavailable: " + Membarrier.REASON);
                }
                ASYMMETRIC = true;
                REASON = "forced by -D" + PROPERTY + "=asymmetric: " + Membarrier.REASON;
                break;
            case "auto":
            case "":
                int feature = Runtime.version().feature();
                if (feature > VERIFIED_MAX) {
                    ASYMMETRIC = false;
                    REASON = "JDK " + feature + " is newer than the newest JDK whose compiled read side is verified ("
                            + VERIFIED_MAX + "): FENCED until it is verified (force with -D" + PROPERTY
                            + "=asymmetric)";
                } else if (feature < VERIFIED_MIN) {
                    ASYMMETRIC = false;
                    REASON = "JDK " + feature + " has no java.lang.foreign (JDK " + VERIFIED_MIN + "+ needed)";
                } else {
                    ASYMMETRIC = Membarrier.AVAILABLE;
                    REASON = (ASYMMETRIC ? "auto on JDK " + feature + ": " : "") + Membarrier.REASON;
                }
                break;
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + p
                        + ": expected auto, fenced or asymmetric");
        }
    }

    private Flavour() {
    }

    /** The heavy barrier of the asymmetric flavour; nothing in the fenced one. */
    public static void heavyBarrier() {
        if (ASYMMETRIC) {
            Membarrier.heavyBarrier();
        }
    }
}
