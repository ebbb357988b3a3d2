package dev.raceless.lincheck;

import dev.raceless.refcount.UseCount;
import dev.raceless.refcount.UseCount.State;

import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * {@code UseCount} checked by Lincheck's model checker as a linearizable state machine against
 * {@link UseCountSpec}: tryAcquire, acquire and release by a holder, shutdown, tryShutdown,
 * cancelShutdown, reopen, state. Lincheck assumes sequential consistency, so this checks the
 * state machine; the orderings are jcstress's job (module {@code stress-tests}).
 *
 * <p>The specification is the strict one: each operation takes effect at one instant between its
 * call and its return. It admits none of the spurious results the Javadoc allows for a
 * {@code tryShutdown} racing a {@code tryAcquire} (either may fail while the other runs).
 */
@Param(name = "thread", gen = ThreadIdGen.class)
public class UseCountLincheckTest {
    private final UseCount uses = new UseCount(2);
    private final Holdings holdings = new Holdings();

    @Operation
    public boolean tryAcquire(@Param(name = "thread") int thread) {
        if (!uses.tryAcquire()) {
            return false;
        }
        holdings.took(thread);
        return true;
    }

    @Operation
    public boolean acquireByHolder(@Param(name = "thread") int thread) {
        if (!holdings.holds(thread)) {
            return false;
        }
        uses.acquire();
        holdings.took(thread);
        return true;
    }

    @Operation
    public boolean releaseByHolder(@Param(name = "thread") int thread) {
        if (!holdings.holds(thread)) {
            return false;
        }
        holdings.dropped(thread);
        uses.release();
        return true;
    }

    @Operation
    public void shutdown() {
        uses.shutdown();
    }

    @Operation
    public boolean tryShutdown() {
        return uses.tryShutdown();
    }

    @Operation
    public boolean cancelShutdown() {
        return uses.cancelShutdown();
    }

    @Operation
    public boolean reopen() {
        return uses.reopen();
    }

    @Operation
    public State state() {
        return uses.state();
    }

    /**
     * Fails on the current UseCount. The smallest counterexample Lincheck finds (no use ever
     * taken): thread 2 runs {@code shutdown()} on an idle count, which CASes LIVE to GOING, counts
     * zero, then CASes GOING to DEAD; thread 1's {@code state()} between the two CASes returns
     * {@code GOING}. No sequential history explains it: an idle count goes "straight to DEAD", so
     * {@code state()} is LIVE before the shutdown and DEAD after, never GOING. The same window,
     * widened by a racing {@code tryAcquire()}'s tentative up, lets {@code shutdown()} return with
     * the count still GOING (a following {@code reopen()} then returns false).
     */
    @Disabled("UseCount is not linearizable against its Javadoc: shutdown() of an idle count passes through a "
            + "visible GOING (state() returns GOING with no use held) and, with a racing failing tryAcquire(), can "
            + "return while GOING; enable once UseCount is linearizable or its Javadoc states the weaker contract")
    @Test
    void useCountIsALinearizableStateMachine() {
        LincheckRuns.modelCheck(UseCountSpec.class).check(UseCountLincheckTest.class);
    }
}
