package dev.raceless.loader;

import dev.raceless.testing.Background;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reload churn: several threads acquire, call and release two keys in a loop while another thread
 * unloads them with every variant in turn (tryUnload, timed with a short and a zero wait,
 * blocking unload), and some destroys throw. Checked throughout by {@link RecordingLifecycle}
 * and {@link TestModule}: no call into an instance after its destroy began, no destroy while a
 * call is inside, never two live instances of a key; and at the end every request was served and
 * every instance made was destroyed. Bounded by iteration counts (the callers go on past their
 * count until an unload has found a call in flight, at most a hundredfold).
 */
class ReloadChurnTest {
    private static final int CALLERS = 3;
    private static final int CALLS_PER_CALLER = 50_000;
    private static final String[] KEYS = {"a", "b"};

    @ParameterizedTest
    @EnumSource(ModuleLoader.Style.class)
    void callsNeverReachADyingInstanceWhileKeysAreReloadedInALoop(ModuleLoader.Style style) throws Exception {
        RecordingLifecycle recorder = new RecordingLifecycle();
        AtomicInteger destroyFailures = new AtomicInteger();
        recorder.onDestroy = m -> {
            if (m.id % 5 == 0) {
                throw new IllegalStateException("destroy of " + m + " fails on purpose");
            }
        };
        ModuleLoader<String, TestModule> loader = new ModuleLoader<>(recorder, recorder, style,
                (key, failure) -> destroyFailures.incrementAndGet());

        AtomicLong served = new AtomicLong();
        AtomicLong requested = new AtomicLong();
        AtomicBoolean callersDone = new AtomicBoolean();
        AtomicBoolean sawBusy = new AtomicBoolean(); // the race the test is about happened at least once
        List<Background<Void>> callers = new ArrayList<>();
        for (int c = 0; c < CALLERS; c++) {
            callers.add(Background.start("caller-" + c, () -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                // At least CALLS_PER_CALLER calls, and on until an unload has found a call in flight
                // (a fast machine may finish the calls before the unloader gets going), bounded.
                for (int i = 0; i < CALLS_PER_CALLER || (!sawBusy.get() && i < 100 * CALLS_PER_CALLER); i++) {
                    requested.incrementAndGet();
                    ModuleLoader.Handle<TestModule> h = loader.acquire(KEYS[random.nextInt(KEYS.length)]);
                    try {
                        TestModule m = h.module();
                        m.call();
                        for (int s = random.nextInt(256); s > 0; s--) {
                            Thread.onSpinWait(); // hold the use a little, so unloads find it busy
                        }
                        m.call();
                    } finally {
                        h.release();
                    }
                    served.incrementAndGet();
                }
                return null;
            }));
        }

        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        Background<Integer> unloader = Background.start("unloader", () -> {
            int cycles = 0;
            int attempts = 0;
            while (!callersDone.get() || attempts < 200) {
                String key = KEYS[cycles % KEYS.length];
                if (!callersDone.get() && !loader.isLoaded(key)) {
                    Thread.yield(); // let a caller load it again
                    cycles++;
                    continue;
                }
                int variant = attempts++ % 4;
                UnloadResult r;
                switch (variant) {
                    case 0:
                        r = loader.tryUnload(key);
                        break;
                    case 1:
                        r = loader.tryUnload(key, 0, TimeUnit.NANOSECONDS);
                        break;
                    case 2:
                        r = loader.tryUnload(key, 50, TimeUnit.MICROSECONDS);
                        break;
                    default:
                        r = loader.unload(key);
                        break;
                }
                outcomes.computeIfAbsent("variant " + variant + " " + r, x -> new AtomicInteger()).incrementAndGet();
                if (r == UnloadResult.BUSY) {
                    sawBusy.set(true);
                }
                cycles++;
                if (callersDone.get()) {
                    loader.acquire(key).release(); // keep something to unload after the callers stop
                }
            }
            return attempts;
        });

        for (Background<Void> c : callers) {
            c.join();
        }
        callersDone.set(true);
        int attempts = unloader.join();

        for (String key : KEYS) {
            loader.unload(key);
        }
        System.out.println("reload churn " + style + ": " + attempts + " unload attempts, " + recorder.made.get()
                + " instances made, " + destroyFailures.get() + " destroys failed; "
                        + new java.util.TreeMap<>(outcomes));

        assertEquals(0, recorder.violationCount(), recorder.violations().toString());
        assertEquals(requested.get(), served.get(), "every request was served");
        for (String key : KEYS) {
            assertEquals(0, recorder.live(key), "every instance of " + key + " was destroyed");
        }
        long destroyed = recorder.events().stream().filter(e -> e.startsWith("destroyed ")).count();
        assertEquals(recorder.made.get(), destroyed, "every instance made was destroyed exactly once");
        assertTrue(recorder.made.get() > 2 * KEYS.length, "the keys were reloaded");
        assertTrue(outcomes.keySet().stream().anyMatch(k -> k.endsWith("BUSY")),
                "no unload ever lost a race: " + outcomes);
    }
}
