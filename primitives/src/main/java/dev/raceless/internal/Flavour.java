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
     * Property dev.raceless.readside (Membarrier.PROPERTY):
     *   auto        (default) ASYMMETRIC if Membarrier's probe succeeds, else FENCED
     *   fenced      FENCED; java.lang.foreign is never touched
     *   asymmetric  ASYMMETRIC or an ExceptionInInitializerError naming the reason: tests that
     *               force a flavour must never run silently in the other one
     * The hot paths read ASYMMETRIC, a static final boolean: the JIT folds the branch away.
     */

    /** Whether readers on platform threads use unfenced owned slots and updaters the heavy barrier. */
    public static final boolean ASYMMETRIC;
    /** Why this flavour was chosen. */
    public static final String REASON;

    static {
        String p = System.getProperty(Membarrier.PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (p) {
            case "fenced":
                ASYMMETRIC = false;
                REASON = "forced by -D" + Membarrier.PROPERTY + "=fenced";
                break;
            case "asymmetric":
                if (!Membarrier.AVAILABLE) {
                    throw new IllegalStateException("-D" + Membarrier.PROPERTY
                            + "=asymmetric, but the asymmetric read side is unavailable: " + Membarrier.REASON);
                }
                ASYMMETRIC = true;
                REASON = "forced by -D" + Membarrier.PROPERTY + "=asymmetric: " + Membarrier.REASON;
                break;
            case "auto":
            case "":
                ASYMMETRIC = Membarrier.AVAILABLE;
                REASON = Membarrier.REASON;
                break;
            default:
                throw new IllegalArgumentException("-D" + Membarrier.PROPERTY + "=" + p
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
