package dev.raceless.lincheck;

import dev.raceless.grace.QuiescentDomain;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

/**
 * A {@code QuiescentDomain}'s reader state machine and its non-blocking grace period, checked by
 * Lincheck's model checker against {@link QuiescentDomainSpec}: each thread registers, goes
 * online and offline, reports quiescent states and unregisters, with misuse answered by the
 * exception's name; {@code trySynchronize()} succeeds exactly when no other thread is online
 * (the caller's own call is its quiescent state).
 *
 * <p><b>What is left out, and why.</b> {@code synchronize()}, the timed {@code trySynchronize},
 * {@code barrier()} and {@code close()} wait: for another thread's report, or for the domain's
 * action thread. A model checker runs a scenario's operations to their end and takes a wait for
 * an operation its scenario never makes (the other thread staying online) as a deadlock, and the
 * action thread is a thread no scenario owns; the waits are covered by the unit tests and the
 * torture scenario, the ordering by jcstress. {@code trySynchronize()} runs the same grace period
 * without the wait. It is one non-parallel group: two concurrent calls may fail on each other's
 * lock (documented, "not definitive"), which a sequential specification cannot say.
 * {@code registeredReaders()} is left out as well: {@code register()} publishes the Reader before
 * its online store, so a concurrent count can see a registered thread that a
 * {@code trySynchronize()} right after finds offline; {@code register()} has not returned then, so
 * no read of the registering thread is unprotected, but the two observations together are not
 * those of any sequential order.
 */
@Param(name = "thread", gen = ThreadIdGen.class)
public class QuiescentDomainLincheckTest {
    private final QuiescentDomain domain = new QuiescentDomain("lincheck", (a, e) -> { });
    /** Each Lincheck thread's Reader, by the id Lincheck passes; touched by that thread only. */
    private final QuiescentDomain.Reader[] readers = new QuiescentDomain.Reader[4];

    @Operation
    public String register(@Param(name = "thread") int thread) {
        try {
            readers[thread] = domain.register();
            return "ok";
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }

    @Operation
    public String online(@Param(name = "thread") int thread) {
        return call(thread, QuiescentDomain.Reader::online);
    }

    @Operation
    public String offline(@Param(name = "thread") int thread) {
        return call(thread, QuiescentDomain.Reader::offline);
    }

    @Operation
    public String quiescent(@Param(name = "thread") int thread) {
        return call(thread, QuiescentDomain.Reader::quiescent);
    }

    @Operation
    public String unregister(@Param(name = "thread") int thread) {
        String r = call(thread, QuiescentDomain.Reader::unregister);
        readers[thread] = null;
        return r;
    }

    @Operation
    public boolean isOnline(@Param(name = "thread") int thread) {
        QuiescentDomain.Reader r = readers[thread];
        return r != null && r.isOnline();
    }

    @Operation(nonParallelGroup = "updater")
    public boolean trySynchronize(@Param(name = "thread") int thread) {
        return domain.trySynchronize(); // the caller's own Reader, if online, goes offline for it
    }

    private String call(int thread, Consumer<QuiescentDomain.Reader> op) {
        QuiescentDomain.Reader r = readers[thread];
        if (r == null) {
            return "unregistered";
        }
        try {
            op.accept(r);
            return "ok";
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }

    @Test
    void readerStatesAndTrySynchronizeAreLinearizable() {
        LincheckRuns.modelCheck(QuiescentDomainSpec.class).check(QuiescentDomainLincheckTest.class);
    }
}
