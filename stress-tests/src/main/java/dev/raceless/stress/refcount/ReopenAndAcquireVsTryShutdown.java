package dev.raceless.stress.refcount;

import dev.raceless.refcount.UseCount;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZL_Result;

/*
    reopenAndAcquire() on a DEAD count racing tryShutdown(): the new life starts with the caller's
    use held, so no shutdown of it can find it idle. The up is made before LIVE is published, and
    every count of the new life first reads that volatile write (its CAS from LIVE), so it sees
    the up. This is how ModuleLoader publishes an instance for the request that loaded it.
    BrokenReopenThenAcquire does the same with reopen() and then tryAcquire(), and shows the
    shutdown in between.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t ReopenAndAcquireVsTryShutdown

    Outcomes (r1, r2, r3) = (reopenAndAcquire(), tryShutdown(), CountView at the end):
      true, true, LIVE 1    the tryShutdown ran before the reopen: it found the old life DEAD
      true, false, LIVE 1   it ran after: the new life is busy with the caller's use
      true, true, DEAD ...  the new life ended while its use was held (forbidden)
 */
@JCStressTest
@JCStressMeta(ReopenAndAcquireVsTryShutdownOutcomes.class)
@Description("reopenAndAcquire() vs tryShutdown(): the new life is never found idle; it stays LIVE with its use.")
@State
public class ReopenAndAcquireVsTryShutdown {

    private final UseCount count = new UseCount();

    public ReopenAndAcquireVsTryShutdown() {
        count.shutdown(); // idle: DEAD at once
    }

    @Actor
    public void loader(ZZL_Result r) {
        r.r1 = count.reopenAndAcquire();
    }

    @Actor
    public void unloader(ZZL_Result r) {
        r.r2 = count.tryShutdown();
    }

    @Arbiter
    public void arbiter(ZZL_Result r) {
        r.r3 = CountView.of(count);
    }
}
