package dev.raceless.loader;

import dev.raceless.testing.Background;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ModuleLoader}'s request side: loading on demand, one instance per key, handles, the hot path. */
class ModuleLoaderAcquireTest {
    private final RecordingLifecycle recorder = new RecordingLifecycle();
    private final ModuleLoader<String, TestModule> loader =
            new ModuleLoader<>(recorder, recorder, ModuleLoader.Style.THREE_POINT);

    @Test
    void firstRequestLoadsAndLaterRequestsShareTheInstance() {
        ModuleLoader.Handle<TestModule> h1 = loader.acquire("a");
        ModuleLoader.Handle<TestModule> h2 = loader.acquire("a");
        assertSame(h1, h2, "one handle per instance");
        assertEquals(1, h1.module().call());
        assertEquals(1, recorder.made.get());
        assertEquals(List.of("init a#1"), recorder.events());
        assertTrue(loader.isLoaded("a"));
        h1.release();
        h2.release();
        assertEquals(0, recorder.violationCount());
    }

    @Test
    void tryAcquireNeverLoads() {
        assertNull(loader.tryAcquire("a"));
        assertFalse(loader.isLoaded("a"));
        assertEquals(0, recorder.made.get());
        loader.acquire("a").release();
        ModuleLoader.Handle<TestModule> h = loader.tryAcquire("a");
        assertEquals(1, h.module().id);
        h.release();
    }

    @Test
    void keysAreIndependent() {
        ModuleLoader.Handle<TestModule> a = loader.acquire("a");
        ModuleLoader.Handle<TestModule> b = loader.acquire("b");
        assertNotSame(a.module(), b.module());
        b.release();
        assertEquals(UnloadResult.UNLOADED, loader.tryUnload("b"));
        assertTrue(loader.isLoaded("a"));
        assertEquals(1, a.module().call());
        a.release();
    }

    @Test
    void aHandOffKeepsTheInstanceUntilEveryUseIsReleased() {
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        h.retain(); // hand a use on to another thread
        Background<Integer> other = Background.start("other", () -> {
            try {
                return h.module().call();
            } finally {
                h.release();
            }
        });
        assertEquals(1, other.join());
        assertEquals(UnloadResult.BUSY, loader.tryUnload("a"), "the holder's own use is still held");
        h.release();
        assertEquals(UnloadResult.UNLOADED, loader.tryUnload("a"));
    }

    @Test
    void aHandOffIsAllowedDuringAnUnload() {
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        Background<UnloadResult> unload = Background.start("unload", () -> loader.unload("a"));
        Background.eventually(() -> !loader.isLoaded("a"), "the unload refuses new requests");
        h.retain(); // a call in flight hands on its use: still legal
        h.release();
        assertFalse(unload.isDone());
        h.release();
        assertEquals(UnloadResult.UNLOADED, unload.join());
        assertEquals(0, recorder.violationCount(), recorder.violations().toString());
    }

    @Test
    void concurrentFirstRequestsMakeOneInstance() {
        CountDownLatch factoryMayFinish = new CountDownLatch(1);
        recorder.onInit = m -> factoryMayFinish.await();
        List<Background<ModuleLoader.Handle<TestModule>>> requests = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            requests.add(Background.start("request-" + i, () -> loader.acquire("a")));
        }
        for (Background<?> r : requests) {
            r.awaitParked(); // the loader is in init; the others wait for that load
        }
        assertFalse(loader.isLoaded("a"), "not live while loading");
        assertNull(loader.tryAcquire("a"), "tryAcquire does not wait for a load");
        factoryMayFinish.countDown();
        for (Background<ModuleLoader.Handle<TestModule>> r : requests) {
            ModuleLoader.Handle<TestModule> h = r.join();
            assertEquals(1, h.module().id);
            h.release();
        }
        assertEquals(1, recorder.made.get());
        assertEquals(0, recorder.violationCount(), recorder.violations().toString());
    }

    @Test
    void fourPointLoadCallsInitThenStart() {
        ModuleLoader<String, TestModule> four = new ModuleLoader<>(recorder, recorder, ModuleLoader.Style.FOUR_POINT);
        four.acquire("a").release();
        assertEquals(List.of("init a#1", "start a#1"), recorder.events());
    }

    @Test
    void constructorRejectsNulls() {
        assertThrows(NullPointerException.class, () -> new ModuleLoader<>(null, recorder,
                ModuleLoader.Style.THREE_POINT));
        assertThrows(NullPointerException.class, () -> new ModuleLoader<String, TestModule>(recorder, null,
                ModuleLoader.Style.THREE_POINT));
        assertThrows(NullPointerException.class, () -> new ModuleLoader<>(recorder, recorder, null));
        assertThrows(NullPointerException.class,
                () -> new ModuleLoader<>(recorder, recorder, ModuleLoader.Style.THREE_POINT, null));
    }

    /**
     * acquire/module/release of a loaded key allocates nothing: the thread's allocation counter
     * (HotSpot's com.sun.management.ThreadMXBean, reached reflectively because this test module
     * does not read java.management) does not move, but for a small slack for reading it.
     */
    @Test
    void hotPathAllocatesNothing() throws Exception {
        loader.acquire("a").release();
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Method allocated = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        long sum = 0;
        for (int i = 0; i < 20_000; i++) {
            sum += hotPath(loader);
        }
        long before = (Long) allocated.invoke(bean);
        for (int i = 0; i < 200_000; i++) {
            sum += hotPath(loader);
        }
        long used = (Long) allocated.invoke(bean) - before;
        assertEquals(220_000L, sum);
        assertTrue(used < 4096, "200000 hot-path calls allocated " + used + " bytes");
    }

    private static int hotPath(ModuleLoader<String, TestModule> loader) {
        ModuleLoader.Handle<TestModule> h = loader.acquire("a");
        try {
            return h.module().call();
        } finally {
            h.release();
        }
    }
}
