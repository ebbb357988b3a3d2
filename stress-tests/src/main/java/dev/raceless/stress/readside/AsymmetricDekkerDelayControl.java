package dev.raceless.stress.readside;

import dev.raceless.internal.Membarrier;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

/*
    A CONTROL, not a proof: AsymmetricDekker's ASYMMETRIC reader (a release store, then a volatile
    load, no fence) against an updater whose heavy barrier is replaced by a call of the same cost
    that fences nothing: membarrier(MEMBARRIER_CMD_QUERY), a system call on the updater's own CPU
    that sends no interrupt, followed by a spin up to the mean time one
    membarrier(PRIVATE_EXPEDITED) took when this class was initialised (a plain calibrated spin
    where membarrier is unavailable).

    What it shows: jcstress cannot tell a barrier from a delay. A store leaves a store buffer
    within nanoseconds, so a microsecond's delay between the updater's word write and its slot
    read lets every reader store that preceded the reader's word read become visible: (0, 0)
    does not show here although nothing orders it. So AsymmetricDekker passing says that the
    flavour's barrier is at least as long as a store buffer's drain, not that it is a barrier.
    BrokenAsymmetricDekker (no barrier, no delay) does show (0, 0): the reordering exists on the
    machine. Because this control cannot fail, it is not a Broken... test: the gate ignores it,
    and its (0, 0) is graded interesting only so that a machine where it does show is noticed.

    What carries the proof instead (docs/read-side.md, "What the tests can and cannot see"):
    membarrier(2)'s kernel guarantee, checked to be the call made by MembarrierInterruptsTest
    (the heavy barrier raises function-call interrupts on the other CPUs, QUERY does not), and
    the compiled order of the reader's store and load, checked by
    jmh-benchmarks/codegen/store-before-load.sh.

    How to run this test:
       $ /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar stress-tests/target/jcstress.jar \
             -t AsymmetricDekkerDelayControl -jvmArgsPrepend "--enable-native-access=ALL-UNNAMED"

    Outcomes (r1, r2) = (word the reader read, slot the updater read):
      0, 0   neither saw the other: the delay did not hide the reordering (not expected to show)
 */
@JCStressTest
@Description("Control: the asymmetric reader against a delay as long as membarrier that fences nothing.")
@Outcome(id = {"1, 1", "0, 1", "1, 0"}, expect = ACCEPTABLE, desc = "At least one side saw the other.")
@Outcome(id = "0, 0", expect = ACCEPTABLE_INTERESTING,
        desc = "The delay did not hide the store->load reordering (the control would then tell delay from barrier).")
@State
public class AsymmetricDekkerDelayControl {
    /** Mean nanoseconds of one membarrier(PRIVATE_EXPEDITED), or 1 µs where it is unavailable. */
    static final long BARRIER_NANOS = calibrate();

    private long slot;
    private volatile long word;

    @Actor
    public void reader(JJ_Result r) {
        SLOT.setRelease(this, 1L); // as AsymmetricDekker's ASYMMETRIC reader
        r.r1 = word;
    }

    @Actor
    public void updater(JJ_Result r) {
        word = 1L;
        delayWithoutBarrier(); // CONTROL: as long as the heavy barrier, fences no other CPU
        r.r2 = (long) SLOT.getAcquire(this);
    }

    /** membarrier(QUERY), then a spin: together as long as one heavy barrier. */
    static void delayWithoutBarrier() {
        long start = System.nanoTime();
        if (Membarrier.AVAILABLE) {
            Membarrier.query();
        }
        while (System.nanoTime() - start < BARRIER_NANOS) {
            Thread.onSpinWait();
        }
    }

    private static long calibrate() {
        if (!Membarrier.AVAILABLE) {
            return 1_000L;
        }
        int n = 2_000;
        for (int i = 0; i < n; i++) { // warm up the downcall
            Membarrier.heavyBarrier();
        }
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Membarrier.heavyBarrier();
        }
        return Math.max(1L, (System.nanoTime() - start) / n);
    }

    private static final VarHandle SLOT;

    static {
        try {
            SLOT = MethodHandles.lookup().findVarHandle(AsymmetricDekkerDelayControl.class, "slot", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
