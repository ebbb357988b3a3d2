package dev.raceless.loader;

import dev.raceless.testing.Background;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plugin reloaded in a loop under load: several threads call it while another unloads it with
 * every variant in turn. Every call reads a resource from the plugin's own jar through the
 * plugin's class loader and checks that the plugin was not destroyed (see {@link PluginJars}), so
 * a call that reaches a closed class loader or a destroyed service fails; none may. At the end,
 * every class loader the calls saw is collected. Bounded by iteration counts.
 */
class PluginReloadChurnTest {
    private static final int CALLERS = 3;
    private static final int CALLS_PER_CALLER = 3_000;

    @TempDir
    Path dir;

    @Test
    void noCallReachesAClosedClassLoaderWhileThePluginIsReloadedUnderLoad() throws Exception {
        PluginJars.build(dir.resolve("greeter.jar"), "hello", "v1", true);
        PluginHost<PluginService> host = new PluginHost<>(PluginService.class, name -> dir.resolve(name + ".jar"));
        try {
            AtomicInteger violations = new AtomicInteger();
            ConcurrentLinkedQueue<String> firstViolations = new ConcurrentLinkedQueue<>();
            // every class loader a call ran in, held weakly; synchronized: WeakHashMap is not thread-safe
            Set<ClassLoader> seen = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
            AtomicInteger distinctLoaders = new AtomicInteger();

            AtomicBoolean callersDone = new AtomicBoolean();
            List<Background<Void>> callers = new ArrayList<>();
            for (int c = 0; c < CALLERS; c++) {
                callers.add(Background.start("caller-" + c, () -> {
                    for (int i = 0; i < CALLS_PER_CALLER; i++) {
                        if (i % 16 == 0) {
                            LockSupport.parkNanos(20_000L); // leave idle moments, so non-blocking unloads can win
                        }
                        try {
                            String r = host.call("greeter", s -> {
                                if (seen.add(s.getClass().getClassLoader())) {
                                    distinctLoaders.incrementAndGet();
                                }
                                return s.greet("x");
                            });
                            if (!"hello x v1".equals(r)) {
                                throw new IllegalStateException("wrong answer: " + r);
                            }
                        } catch (RuntimeException e) {
                            violations.incrementAndGet();
                            if (firstViolations.size() < 5) {
                                firstViolations.add(e.toString());
                            }
                        }
                    }
                    return null;
                }));
            }

            Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
            Background<Integer> unloader = Background.start("unloader", () -> {
                int attempts = 0;
                while (!callersDone.get()) {
                    UnloadResult r;
                    switch (attempts % 4) {
                        case 0:
                            r = host.tryUnload("greeter");
                            break;
                        case 1:
                            r = host.tryUnload("greeter", 0, TimeUnit.NANOSECONDS);
                            break;
                        case 2:
                            r = host.tryUnload("greeter", 200, TimeUnit.MICROSECONDS);
                            break;
                        default:
                            r = host.unload("greeter");
                            break;
                    }
                    outcomes.computeIfAbsent((attempts % 4) + " " + r, k -> new AtomicInteger()).incrementAndGet();
                    attempts++;
                    Thread.yield();
                }
                return attempts;
            });

            for (Background<Void> c : callers) {
                c.join();
            }
            callersDone.set(true);
            int attempts = unloader.join();
            host.unload("greeter");
            host.awaitClosedLoaders();

            System.out.println("plugin reload churn: " + attempts + " unload attempts, " + distinctLoaders.get()
                    + " class loaders; " + new TreeMap<>(outcomes));
            assertEquals(0, violations.get(),
                    "calls that reached a closed loader or destroyed plugin: " + firstViolations);
            assertTrue(distinctLoaders.get() > 3, "the plugin was hardly reloaded: " + distinctLoaders.get());
            assertTrue(allCollected(seen), "class loaders still reachable after unload: " + seen.size());
        } finally {
            host.close();
        }
    }

    /** GC a bounded number of times until the weak set is empty. */
    private static boolean allCollected(Set<ClassLoader> seen) throws InterruptedException {
        for (int attempt = 0; attempt < 50; attempt++) {
            if (seen.isEmpty()) { // size() of a WeakHashMap expunges cleared entries first
                return true;
            }
            System.gc();
            Thread.sleep(20);
        }
        return false;
    }
}
