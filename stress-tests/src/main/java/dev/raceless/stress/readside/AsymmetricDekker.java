package dev.raceless.stress.readside;

import dev.raceless.internal.Flavour;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    The read-side fence pair itself, exactly as the active flavour makes it (ReadSide):
      reader:  store its slot (ASYMMETRIC: a release store and nothing else; FENCED: a volatile
               store), then read the updater's word (a volatile load);
      updater: write the word (volatile), run the heavy barrier (ASYMMETRIC: membarrier; FENCED:
               nothing), then read the slot (acquire).
    This is what UseCount.tryAcquire vs shutdown and GraceDomain.enter vs synchronize reduce to.
    In the ASYMMETRIC flavour nothing in the Java memory model forbids (0, 0): the test checks
    C2's ordering of the release store before the volatile load plus membarrier's guarantee
    (docs/read-side.md). BrokenAsymmetricDekker drops the heavy barrier and must show (0, 0).
    What a pass does not prove: AsymmetricDekkerDelayControl replaces the barrier with a delay of
    the same length that fences nothing, and does not show (0, 0) either; MembarrierInterruptsTest
    and jmh-benchmarks/codegen/store-before-load.sh carry the rest (docs/read-side.md, "What
    jcstress can and cannot see").

    How to run this test, in each flavour:
       $ java -Ddev.raceless.readside=fenced -jar stress-tests/target/jcstress.jar -t AsymmetricDekker
       $ /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar stress-tests/target/jcstress.jar -t AsymmetricDekker \
             -jvmArgsPrepend "--enable-native-access=ALL-UNNAMED -Ddev.raceless.readside=asymmetric"

    Outcomes (r1, r2) = (word the reader read, slot the updater read):
      1, 1   both saw each other
      0, 1   reader first
      1, 0   updater first
      0, 0   neither saw the other: a use granted under a shutdown that counted zero. FORBIDDEN.
 */
@JCStressTest
@Description("The active read-side flavour's fence pair: reader store then word read vs updater word write, "
        + "heavy barrier, slot read.")
@Outcome(id = {"1, 1", "0, 1", "1, 0"}, expect = ACCEPTABLE, desc = "At least one side saw the other.")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "Store->load reordering not covered by the flavour's barriers.")
@State
public class AsymmetricDekker {
    private long slot;
    private volatile long word;

    @Actor
    public void reader(JJ_Result r) {
        if (Flavour.ASYMMETRIC) {
            SLOT.setRelease(this, 1L); // no fence: the updater's membarrier covers it
        } else {
            SLOT.setVolatile(this, 1L); // FENCED: a volatile store, one full fence
        }
        r.r1 = word;
    }

    @Actor
    public void updater(JJ_Result r) {
        word = 1L;
        Flavour.heavyBarrier();
        r.r2 = (long) SLOT.getAcquire(this);
    }

    private static final VarHandle SLOT;

    static {
        try {
            SLOT = MethodHandles.lookup().findVarHandle(AsymmetricDekker.class, "slot", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
