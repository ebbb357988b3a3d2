package dev.raceless.stress.torture;

import dev.raceless.loader.Binding;
import dev.raceless.loader.Lifecycle;
import dev.raceless.loader.LoadException;
import dev.raceless.loader.ModuleLoader;
import dev.raceless.loader.ReloadResult;
import dev.raceless.loader.UnloadResult;
import dev.raceless.stress.harness.Run;
import dev.raceless.stress.harness.Scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A {@link ModuleLoader} of three keys: caller threads request instances (half by key, half
 * through a {@link Binding} per key that both callers share) and call into them while
 * one thread unloads and reloads them with every variant (try, timed with a timeout of a few
 * microseconds, blocking unload, blocking and try reload), and the factory fails now and then.
 *
 * <p>Errors: a call into an instance whose destroy has begun (a use after free); a destroy while
 * a call is in flight; a request that gets an older instance than the one a completed reload
 * installed (a stale instance); an instance destroyed twice, or never destroyed once the loader
 * is closed; a stall nobody injected. Faults: a factory that throws (the requests and the reload
 * get a {@code LoadException}, the key stays unloaded or keeps its old instance); a thread that
 * dies holding a handle (the next blocking unload must be reported as stalled after the
 * threshold, never hang; the run then releases that use on the dead thread's behalf).
 */
public final class LoaderTorture implements Scenario {
    private static final String[] KEYS = {"a", "b", "c"};

    /** One instance: the generation of its key it was made as, and what has happened to it. */
    static final class Instance {
        final int key;
        final long generation;
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger destroys = new AtomicInteger();
        volatile boolean destroying;

        Instance(int key, long generation) {
            this.key = key;
            this.generation = generation;
        }
    }

    private final AtomicLongArray made = new AtomicLongArray(KEYS.length);
    /** Per key: the generation a completed reload installed; later requests must not get an older one. */
    private final AtomicLongArray floor = new AtomicLongArray(KEYS.length);
    private final Queue<Instance> all = new ConcurrentLinkedQueue<>();
    private final ModuleLoader<String, Instance> loader;
    /** One binding per key, shared by the callers: half the calls go through them. */
    private final List<Binding<Instance>> bindings = new ArrayList<>();
    private final AtomicInteger callersLeft = new AtomicInteger(2);
    /** The handle a dead thread holds, until rescued; written by the unloader thread, read by stall reports. */
    private volatile ModuleLoader.Handle<Instance> dead;
    private volatile Run torture;

    public LoaderTorture() {
        Lifecycle<Instance> lifecycle = new Lifecycle<>() {
            @Override
            public void destroy(Instance m) {
                m.destroying = true;
                if (m.inFlight.get() != 0) {
                    torture.error("destroy during a call", "instance " + m.generation + " of " + KEYS[m.key]);
                }
                if (m.destroys.incrementAndGet() != 1) {
                    torture.error("destroyed twice", "instance " + m.generation + " of " + KEYS[m.key]);
                }
            }
        };
        loader = new ModuleLoader<>(this::make, lifecycle, ModuleLoader.Style.THREE_POINT,
                (key, e) -> torture.error("lifecycle failure", key + ": " + e));
        for (String key : KEYS) {
            bindings.add(loader.bind(key));
        }
    }

    private Instance make(String key) {
        int k = indexOf(key);
        if (ThreadLocalRandom.current().nextInt(64) == 0) {
            torture.fault("factory threw");
            throw new IllegalStateException("injected factory failure for " + key);
        }
        Instance m = new Instance(k, made.incrementAndGet(k));
        all.add(m);
        return m;
    }

    private static int indexOf(String key) {
        for (int i = 0; i < KEYS.length; i++) {
            if (KEYS[i].equals(key)) {
                return i;
            }
        }
        throw new IllegalArgumentException(key);
    }

    @Override
    public String name() {
        return "LoaderTorture";
    }

    @Override
    public List<Thread> threads(Run t) {
        torture = t;
        loader.reportStalls(t.stallNanos(), TimeUnit.NANOSECONDS, report -> {
            System.out.println("stall: " + report);
            if (dead == null) {
                t.error("stall nobody injected", report);
            } else {
                t.fault("stall reported");
            }
        });
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            threads.add(new Thread(() -> caller(t), "torture-loader-caller-" + i));
        }
        threads.add(new Thread(() -> unloader(t), "torture-loader-unloader"));
        return threads;
    }

    private void caller(Run t) {
        try {
            while (t.running()) {
                int k = ThreadLocalRandom.current().nextInt(KEYS.length);
                long atLeast = floor.get(k);
                ModuleLoader.Handle<Instance> h;
                try {
                    // half the calls through the bindings both callers share: the same guarantees
                    h = ThreadLocalRandom.current().nextBoolean() ? loader.acquire(KEYS[k]) : bindings.get(k).acquire();
                } catch (LoadException e) {
                    t.op("loader request saw a failed load");
                    continue;
                }
                try {
                    Instance m = h.module();
                    m.inFlight.incrementAndGet();
                    if (m.destroying) {
                        t.error("call after destroy", "instance " + m.generation + " of " + KEYS[k]);
                    }
                    if (m.generation < atLeast) {
                        t.error("stale instance", KEYS[k] + ": instance " + m.generation + " after a reload installed "
                                + atLeast);
                    }
                    Thread.onSpinWait();
                    m.inFlight.decrementAndGet();
                } finally {
                    h.release();
                }
                t.op("loader call");
            }
        } finally {
            callersLeft.decrementAndGet();
        }
    }

    private void unloader(Run t) {
        long round = 0;
        try {
            while (t.running()) {
                round++;
                ThreadLocalRandom random = ThreadLocalRandom.current();
                int k = random.nextInt(KEYS.length);
                String key = KEYS[k];
                if (round % 256 == 0) {
                    injectDeadHolder(t, key);
                }
                int variant = dead != null ? 2 : random.nextInt(5);
                long start = System.nanoTime();
                String what;
                try {
                    switch (variant) {
                        case 0:
                            what = "tryUnload";
                            t.op("loader tryUnload " + loader.tryUnload(key));
                            break;
                        case 1:
                            what = "timed tryUnload";
                            t.op("loader timed tryUnload "
                                    + loader.tryUnload(key, random.nextInt(4), TimeUnit.MICROSECONDS));
                            break;
                        case 2:
                            what = "unload";
                            t.op("loader unload " + await(t, CompletableFuture.supplyAsync(() -> unload(key)), key));
                            break;
                        case 3:
                            what = "reload";
                            reloaded(t, k, loader.reload(key));
                            break;
                        default:
                            what = "tryReload";
                            reloaded(t, k, loader.tryReload(key));
                    }
                } catch (LoadException e) {
                    what = "reload that failed";
                    t.op("loader reload saw a failed load");
                }
                t.latency("loader " + what, System.nanoTime() - start);
                Thread.onSpinWait();
            }
            while (callersLeft.get() > 0) {
                Thread.onSpinWait();
            }
            loader.close();
            for (Instance m : all) {
                if (m.destroys.get() != 1) {
                    t.error("not destroyed once", "instance " + m.generation + " of " + KEYS[m.key] + ": "
                            + m.destroys.get() + " destroys after close()");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private UnloadResult unload(String key) {
        try {
            return loader.unload(key);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** After a reload returned: the instance it installed is the oldest any later request may get. */
    private void reloaded(Run t, int k, ReloadResult r) {
        t.op("loader reload " + r);
        if (r == ReloadResult.BUSY) {
            return;
        }
        ModuleLoader.Handle<Instance> h = loader.tryAcquire(KEYS[k]); // only this thread unloads: still the one
        if (h == null) {
            t.error("reload left nothing live", KEYS[k] + " after " + r);
            return;
        }
        try {
            floor.accumulateAndGet(k, h.module().generation, Math::max);
        } finally {
            h.release();
        }
    }

    private void injectDeadHolder(Run t, String key) {
        ModuleLoader.Handle<?>[] taken = new ModuleLoader.Handle<?>[1];
        Thread holder = new Thread(() -> {
            try {
                taken[0] = loader.acquire(key);
            } catch (LoadException e) {
                taken[0] = null;
            }
        }, "torture-loader-dies-holding-a-handle");
        holder.start();
        try {
            holder.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        @SuppressWarnings("unchecked")
        ModuleLoader.Handle<Instance> h = (ModuleLoader.Handle<Instance>) taken[0];
        if (h != null) {
            dead = h;
            t.fault("thread died holding a loader handle");
        }
    }

    /**
     * Waits for a blocking unload; past the stall threshold, if a dead thread holds a handle, that
     * stall was injected: release its use on its behalf and wait again. Otherwise it is an error.
     */
    private UnloadResult await(Run t, CompletableFuture<UnloadResult> f, String key) {
        for (int attempt = 0;; attempt++) {
            try {
                UnloadResult r = f.get(t.stallNanos() + t.stallNanos() / 2, TimeUnit.NANOSECONDS);
                if (dead != null) {
                    t.error("injected stall not reported", "unload of " + key + " returned " + r
                            + " while a dead thread held a handle");
                    dead.release();
                    dead = null;
                }
                return r;
            } catch (TimeoutException e) {
                if (dead != null) {
                    dead.release(); // rescue: the dead holder's release, made for it
                    dead = null;
                } else if (attempt > 3) {
                    t.error("unexplained stall", "unload of " + key + " did not finish within " + (attempt + 1)
                            + " thresholds");
                    return null;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (ExecutionException e) {
                t.error("unload threw", key + ": " + e.getCause());
                return null;
            }
        }
    }
}
