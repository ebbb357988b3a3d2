package dev.raceless.lincheck;

/**
 * The sequential specification of a {@code QuiescentDomain}'s readers and its non-blocking grace
 * period; mirrors {@link QuiescentDomainLincheckTest}'s operations. Per thread: unregistered,
 * online or offline; {@code trySynchronize()} succeeds iff no thread but the caller is online.
 */
public final class QuiescentDomainSpec {
    private static final int UNREGISTERED = 0, ONLINE = 1, OFFLINE = 2;
    private static final String MISUSE = "IllegalStateException";

    private final int[] state = new int[4];

    public String register(int thread) {
        if (state[thread] != UNREGISTERED) {
            return MISUSE;
        }
        state[thread] = ONLINE;
        return "ok";
    }

    public String online(int thread) {
        return move(thread, OFFLINE, ONLINE);
    }

    public String offline(int thread) {
        return move(thread, ONLINE, OFFLINE);
    }

    public String quiescent(int thread) {
        return move(thread, ONLINE, ONLINE);
    }

    public String unregister(int thread) {
        if (state[thread] == UNREGISTERED) {
            return "unregistered";
        }
        state[thread] = UNREGISTERED;
        return "ok";
    }

    public boolean isOnline(int thread) {
        return state[thread] == ONLINE;
    }

    public boolean trySynchronize(int thread) {
        for (int t = 0; t < state.length; t++) {
            if (t != thread && state[t] == ONLINE) {
                return false;
            }
        }
        return true;
    }

    private String move(int thread, int from, int to) {
        if (state[thread] == UNREGISTERED) {
            return "unregistered";
        }
        if (state[thread] != from) {
            return MISUSE;
        }
        state[thread] = to;
        return "ok";
    }
}
