package dev.raceless.stress.quiescent;

import dev.raceless.grace.QuiescentDomain;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The state and the steps every quiescent-state litmus test is made of, written once: a published
 * {@link Obj}, a reader that finds it and uses it, an updater that unpublishes it, waits for a
 * grace period and frees it, and an optional handshake ({@code ready}) that makes the grace period
 * begin while the reader is online. Each test composes its actors from these steps in the order
 * its race needs; a broken twin composes the same steps in a wrong order, or runs them against
 * a replica of the protocol whose ordering is removed.
 */
abstract class UnpublishThenFreeRace {
    private volatile Obj published = new Obj();
    private volatile boolean ready;

    /** The reader's pointer read, with no call and no fence: r1 = 1 if it found the object. */
    final Obj read(II_Result r) {
        Obj o = published;
        if (o != null) {
            r.r1 = 1;
        }
        return o;
    }

    /** The reader's use of what {@link #read} found: r2 = 1 if it saw the object freed. */
    static void use(Obj o, II_Result r) {
        if (o != null) {
            r.r2 = o.useAndWatch();
        }
    }

    /** The handshake, reader side: raised after online(), so the grace period begins while it is online. */
    final void raiseReady() {
        ready = true;
    }

    /** The handshake, updater side; the reader never waits for the updater, so this ends. */
    final void awaitReady() {
        while (!ready) {
            Thread.onSpinWait();
        }
    }

    /** The updater's first step: clears the pointer (a volatile store) and returns what it held. */
    final Obj unpublish() {
        Obj o = published;
        published = null;
        return o;
    }

    /** The updater: unpublish; a grace period of {@code domain}; free (a plain store). */
    final void unpublishThenFree(QuiescentDomain domain) {
        Obj o = unpublish();
        domain.synchronize(); // waits for every thread online when it began
        o.free();
    }
}
