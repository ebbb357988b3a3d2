package dev.raceless.lincheck;

import dev.raceless.refcount.UseCount;
import dev.raceless.refcount.UseCount.State;

import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;

/**
 * The Lincheck operations on a use count, shared by {@link UseCountLincheckTest} (the real
 * {@code UseCount}) and {@link BrokenUseCountLincheckTest} (a broken one). The model checker
 * checks them as a linearizable state machine against {@link UseCountSpec}, the strict three-state
 * machine of its Javadoc: tryAcquire, acquire and release by a holder, shutdown, tryShutdown,
 * cancelShutdown, reopen, state. Lincheck assumes sequential consistency, so this checks the state
 * machine; the orderings are jcstress's job (module {@code stress-tests}).
 *
 * <p><b>The weaker contract, made explicit.</b> {@code UseCount}'s Javadoc ("Linearizability")
 * names three transients, each lasting only while another call is in progress; the operations
 * here make each one explicit, so that a transient that does not end (or any other departure from
 * the strict machine) fails the check:
 * <ol>
 * <li>A {@code tryShutdown} and a {@code tryAcquire} racing each other may both fail: the uses
 *     (tryAcquire, the hand-off acquire, release), {@code tryShutdown}, {@code cancelShutdown} and
 *     {@code state} form one non-parallel group (one thread runs them), and {@code shutdown} and
 *     {@code reopen} race all of them.</li>
 * <li>While a {@code shutdown()} of an idle count runs, the count is {@code GOING} with no use
 *     held: {@link #state()} reads again until it is not (the group's thread holds no use in
 *     flight while it runs, so its {@link Holdings} are exact).</li>
 * <li>A {@code shutdown()} that counted a failing {@code tryAcquire}'s tentative use returns with
 *     the count {@code GOING} until that back-out: {@link #reopen()} tries again while the count
 *     is {@code DEAD} or {@code GOING} with no use recorded (recorded uses never exceed the uses
 *     held: a use is recorded after it is taken and unrecorded before it is released).</li>
 * </ol>
 * A count that stayed {@code GOING} with no use held for good would keep those loops reading
 * forever, which Lincheck reports as a hang. {@link BrokenUseCountLincheckTest} runs the same
 * operations on a count that reads the state before announcing its use, and shows that the check
 * fails.
 */
@Param(name = "thread", gen = ThreadIdGen.class)
abstract class UseCountOperations {

    /** The operations of a use count, so that a deliberately broken one can run the same test. */
    interface Count {
        boolean tryAcquire();

        void retain();

        void release();

        void shutdown();

        boolean tryShutdown();

        boolean cancelShutdown();

        boolean reopen();

        State state();
    }

    /** The real {@code UseCount}, two stripes. */
    static Count useCount() {
        UseCount uses = new UseCount(2);
        return new Count() {
            @Override
            public boolean tryAcquire() {
                return uses.tryAcquire();
            }

            @Override
            public void retain() {
                uses.retain();
            }

            @Override
            public void release() {
                uses.release();
            }

            @Override
            public void shutdown() {
                uses.shutdown();
            }

            @Override
            public boolean tryShutdown() {
                return uses.tryShutdown();
            }

            @Override
            public boolean cancelShutdown() {
                return uses.cancelShutdown();
            }

            @Override
            public boolean reopen() {
                return uses.reopen();
            }

            @Override
            public State state() {
                return uses.state();
            }
        };
    }

    private final Count uses;
    private final Holdings holdings = new Holdings();

    UseCountOperations(Count uses) {
        this.uses = uses;
    }

    @Operation(nonParallelGroup = "uses")
    public boolean tryAcquire(@Param(name = "thread") int thread) {
        if (!uses.tryAcquire()) {
            return false;
        }
        holdings.took(thread);
        return true;
    }

    @Operation(nonParallelGroup = "uses")
    public boolean retainByHolder(@Param(name = "thread") int thread) {
        if (!holdings.holds(thread)) {
            return false;
        }
        uses.retain();
        holdings.took(thread);
        return true;
    }

    @Operation(nonParallelGroup = "uses")
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

    @Operation(nonParallelGroup = "uses")
    public boolean tryShutdown() {
        return uses.tryShutdown();
    }

    @Operation(nonParallelGroup = "uses")
    public boolean cancelShutdown() {
        return uses.cancelShutdown();
    }

    /** Transient 3: DEAD, or GOING with no use recorded, ends; read again. */
    @Operation
    public boolean reopen() {
        for (;;) {
            if (uses.reopen()) {
                return true;
            }
            State s = uses.state();
            if (s == State.LIVE || (s == State.GOING && holdings.any())) {
                return false; // LIVE, or a use is held (so not DEAD) at the read of the holdings
            }
        }
    }

    /** Transient 2: GOING with no use held ends; read again. */
    @Operation(nonParallelGroup = "uses")
    public State state() {
        for (;;) {
            State s = uses.state();
            if (s != State.GOING || holdings.any()) {
                return s;
            }
        }
    }
}
