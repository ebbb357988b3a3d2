package dev.raceless.stress.loader;

import dev.raceless.loader.Binding;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/*
    RequestVsReload through a Binding: the binding has reached instance #1 before the race (its
    cached handle and count are #1's), so the request takes the binding's hot path, a tryAcquire
    on the cached count, and the slow path only if that fails. The outcomes are RequestVsReload's:
    the request calls #1 if it got it before the reload began, else #2; never a destroyed
    instance, never #1 after the reload refused it.

    How to run this test:
       $ java -jar stress-tests/target/jcstress.jar -t BindingRequestVsReload
 */
@JCStressTest
@JCStressMeta(RequestVsReload.class)
@Description("A request through a warm Binding vs reload(): #1 before the reload began, else the fresh #2.")
@State
public class BindingRequestVsReload {

    private final LoadedKey k = LoadedKey.threePoint();
    private final Binding<Instances.Module> binding = k.warmBinding();

    @Actor
    public void request(LLL_Result r) {
        r.r1 = Instances.request(binding);
    }

    @Actor
    public void reloader(LLL_Result r) {
        r.r2 = k.reload();
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r3 = k.view();
    }
}
