package dev.raceless.grace;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debug tracking of a {@link GraceDomain}'s open sections, on only with the system property
 * {@value GraceDomain#DEBUG_PROPERTY}: every section gets a serial number inside its token, so a
 * token used twice or forged is caught at the faulty {@code exit}, and {@code synchronize},
 * {@code barrier} or {@code close} from inside one's own section throws instead of waiting for
 * itself. Allocates a map entry per section; never used on the default (untracked) path.
 */
final class SectionTracker {
    /*
     * Implementation notes.
     *
     * Token layout with tracking: ((serial << 1) | idx) ^ tag, serial a 30-bit counter. The plain
     * token (idx ^ tag) is what the untracked read side uses; exit() maps a tracked token back to
     * it after removing the section, so the counting underneath is the same in both modes.
     * A section handed to another thread stays charged to the thread that entered it: the
     * self-deadlock check asks "did this thread enter a section that is still open", which is
     * the case that really waits for itself.
     */

    /** One open section: who entered it, on which index. */
    private static final class OpenSection {
        final Thread thread;
        final int idx;

        OpenSection(Thread thread, int idx) {
            this.thread = thread;
            this.idx = idx;
        }
    }

    private final Map<Integer, OpenSection> open = new ConcurrentHashMap<>();
    private final AtomicInteger serial = new AtomicInteger();
    private final int tag;

    SectionTracker(int tag) {
        this.tag = tag;
    }

    /** Records a section entered on {@code idx}; returns its tracked token. */
    int enter(int idx) {
        int s = serial.incrementAndGet() & 0x3FFF_FFFF;
        open.put(s, new OpenSection(Thread.currentThread(), idx));
        return (s << 1 | idx) ^ tag;
    }

    /**
     * Closes the section of a tracked token.
     *
     * @return the plain token of its index; for a token of no open section, a value that decodes
     *         to no index ({@code Integer.MIN_VALUE ^ tag}), which the caller rejects
     */
    int exit(int token) {
        int raw = token ^ tag;
        OpenSection s = open.get(raw >>> 1);
        if (s == null || s.idx != (raw & 1) || !open.remove(raw >>> 1, s)) {
            return Integer.MIN_VALUE ^ tag; // decodes to an index the caller refuses
        }
        return s.idx ^ tag;
    }

    /** Whether {@code t} entered a section of this domain that is still open. */
    boolean inSection(Thread t) {
        for (OpenSection s : open.values()) {
            if (s.thread == t) {
                return true;
            }
        }
        return false;
    }

    /** The open sections, one line each (thread and index), for diagnostics. */
    String describe() {
        StringBuilder b = new StringBuilder();
        open.forEach((serialNo, s) -> b.append("\n  section #").append(serialNo).append(" on index ").append(s.idx)
                .append(", entered by ").append(s.thread));
        return b.toString();
    }
}
