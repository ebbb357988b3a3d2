package dev.raceless.stress.quiescent;

import dev.raceless.grace.QuiescentDomain;

/**
 * One QuiescentDomain per test class, and the calling actor thread's registration with it, made
 * on first use and then offline between actor calls: registration is a slow path (a lock, a
 * copy of the registry) that would drown the race in a per-state domain, and a warm Reader is the
 * case that matters. Threads of earlier runs that ended count as offline (dead) and are pruned.
 */
final class Readers {
    private final QuiescentDomain domain;
    private final ThreadLocal<QuiescentDomain.Reader> mine = new ThreadLocal<>();

    Readers(String name) {
        domain = new QuiescentDomain(name, (a, e) -> { });
    }

    QuiescentDomain domain() {
        return domain;
    }

    /** The calling thread's Reader, offline; registered (then taken offline) on first use. */
    QuiescentDomain.Reader offlineReader() {
        QuiescentDomain.Reader r = mine.get();
        if (r == null) {
            r = domain.register();
            r.offline();
            mine.set(r);
        }
        return r;
    }
}
