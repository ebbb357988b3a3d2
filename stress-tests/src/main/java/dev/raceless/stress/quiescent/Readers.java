package dev.raceless.stress.quiescent;

import dev.raceless.grace.QuiescentDomain;

/**
 * One QuiescentDomain per test class, and the calling actor thread's registration with it, made
 * on first use and then offline between actor calls: registration is a slow path (a lock, a
 * copy of the registry) that would drown the race in a per-state domain, and a warm Reader is the
 * case that matters. Threads of earlier runs that ended count as offline (dead) and are pruned.
 * Public for the loader's quiescent-mode test (dev.raceless.stress.loader.QuiescentCallVsUnload).
 */
public final class Readers {
    private final QuiescentDomain domain;
    private final ThreadLocal<QuiescentDomain.Reader> mine = new ThreadLocal<>();

    public Readers(String name) {
        domain = new QuiescentDomain(name, (a, e) -> { });
    }

    public QuiescentDomain domain() {
        return domain;
    }

    /** The calling thread's Reader, offline; registered (then taken offline) on first use. */
    public QuiescentDomain.Reader offlineReader() {
        QuiescentDomain.Reader r = mine.get();
        if (r == null) {
            r = domain.register();
            r.offline();
            mine.set(r);
        }
        return r;
    }
}
