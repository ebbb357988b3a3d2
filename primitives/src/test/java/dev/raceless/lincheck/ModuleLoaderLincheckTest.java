package dev.raceless.lincheck;

import dev.raceless.loader.Lifecycle;
import dev.raceless.loader.ModuleLoader;
import dev.raceless.loader.UnloadResult;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A {@code ModuleLoader} of one key, request against unload, checked by Lincheck's model checker
 * against {@link ModuleLoaderSpec}: a request ({@code acquire}) returns the generation of the
 * instance it got (the first load is 1, each load after an unload one more) and holds its use
 * until its thread releases it; {@code tryUnload} is {@code UNLOADED} for a loaded idle instance,
 * {@code BUSY} while a use is held, {@code NOT_LOADED} otherwise. A request that returns an
 * instance whose {@code destroy} has begun returns -1, which no sequential history explains.
 *
 * <p><b>What is left out, and why</b> (as in {@link RegistrationLincheckTest}): a
 * {@code tryUnload} racing a request's {@code tryAcquire} may report {@code BUSY} for the
 * instant the request's tentative use takes (the request then waits for the attempt's end and
 * takes the instance given back); {@link #tryUnload()} tries again while it reports {@code BUSY}
 * with no use recorded (recorded uses never exceed held ones). A second unload while one is in
 * progress reports {@code NOT_LOADED} ("another unload owns it"), and {@code isLoaded} is false
 * while an attempt that may still give the instance back is counting: {@code tryUnload} and
 * {@code isLoaded} run on one thread (a non-parallel group) and the requests race them. The
 * blocking and timed unloads and reloads are left out (a model checker would take a wait for a
 * use its scenario never releases for a deadlock, and a reload that gives the old instance back
 * has made one instance more); the jcstress tests {@code RequestVsUnload},
 * {@code RequestVsTryUnload} and {@code RequestVsReload} and {@code LoaderTorture} race those.
 */
@Param(name = "thread", gen = ThreadIdGen.class)
public class ModuleLoaderLincheckTest {
    private static final String KEY = "codec";

    /** An instance: its generation, and whether its destroy has begun. */
    static final class Instance {
        final int generation;
        volatile boolean destroyed;

        Instance(int generation) {
            this.generation = generation;
        }
    }

    private int made;
    private final ModuleLoader<String, Instance> loader = new ModuleLoader<>(k -> new Instance(++made),
            new Lifecycle<>() {
                @Override
                public void destroy(Instance module) {
                    module.destroyed = true;
                }
            }, ModuleLoader.Style.THREE_POINT);
    @SuppressWarnings("unchecked")
    private final Deque<ModuleLoader.Handle<Instance>>[] held = new Deque[] {
            new ArrayDeque<>(), new ArrayDeque<>(), new ArrayDeque<>(), new ArrayDeque<>()};

    @Operation
    public int acquire(@Param(name = "thread") int thread) {
        ModuleLoader.Handle<Instance> h = loader.acquire(KEY);
        Instance m = h.module();
        held[thread].push(h);
        return m.destroyed ? -1 : m.generation;
    }

    @Operation
    public boolean release(@Param(name = "thread") int thread) {
        ModuleLoader.Handle<Instance> h = held[thread].poll();
        if (h == null) {
            return false;
        }
        h.release();
        return true;
    }

    /** A BUSY with no use recorded may be a racing request's tentative use: try again. */
    @Operation(nonParallelGroup = "unloads")
    public UnloadResult tryUnload() {
        for (;;) {
            UnloadResult r = loader.tryUnload(KEY);
            if (r != UnloadResult.BUSY || anyHeld()) {
                return r;
            }
        }
    }

    @Operation(nonParallelGroup = "unloads")
    public boolean isLoaded() {
        return loader.isLoaded(KEY);
    }

    private boolean anyHeld() {
        for (Deque<ModuleLoader.Handle<Instance>> d : held) {
            if (!d.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    @Test
    void requestVsUnloadIsALinearizableStateMachine() {
        LincheckRuns.modelCheck(ModuleLoaderSpec.class, 20, 500).check(ModuleLoaderLincheckTest.class);
    }
}
