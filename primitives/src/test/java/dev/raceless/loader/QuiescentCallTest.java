package dev.raceless.loader;

import dev.raceless.grace.QuiescentDomain;
import dev.raceless.refcount.UseCount;
import dev.raceless.testing.Background;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Quiescent mode ({@link Binding#call(QuiescentDomain.Reader, java.util.function.Function)}): a
 * call takes no use exactly when the caller is the online thread of a Reader of the loader's
 * domain and the instance is live, and is counted otherwise; an unload waits for an uncounted
 * call in flight; an unload from inside one is refused. Waits are watchdogs, never timings.
 */
class QuiescentCallTest {
    private final RecordingLifecycle lifecycle = new RecordingLifecycle();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final QuiescentDomain domain = new QuiescentDomain();
    private final ModuleLoader<String, TestModule> loader = new ModuleLoader<>(lifecycle, lifecycle,
            ModuleLoader.Style.THREE_POINT, (k, t) -> failures.add(t), domain);
    private QuiescentDomain.Reader reader;
    /** Set by a test that found its threads deadlocked: closing the loader would wait for them. */
    private boolean wedged;

    @AfterEach
    void cleanUp() {
        if (wedged) {
            return;
        }
        if (reader != null) {
            reader.unregister();
        }
        loader.close();
        domain.close();
        assertEquals(0, lifecycle.violationCount(), () -> "violations: " + lifecycle.violations());
    }

    /** The uses held on key's live instance, read from inside a call. */
    private UseCount count(String key) {
        ModuleLoader.Handle<TestModule> h = loader.acquire(key);
        h.release();
        return h.uses;
    }

    @Test
    void anOnlineReaderOfTheDomainCallsWithNoUse() {
        reader = domain.register();
        Binding<TestModule> a = loader.bind("a");
        assertEquals(1L, (long) a.call(reader, m -> count("a").estimate()),
                "the first call loads through the counted path and holds a use");
        UseCount c = count("a");
        assertEquals(0L, (long) a.call(reader, m -> c.estimate()), "then no use is held for the call");
        assertEquals(1, (int) a.call(reader, TestModule::call), "and it reaches the live instance");
    }

    @Test
    void everyOtherCallerIsCounted() throws Exception {
        Binding<TestModule> a = loader.bind("a");
        UseCount c = count("a");
        a.call(m -> 0); // cache the handle

        QuiescentDomain other = new QuiescentDomain();
        try (QuiescentDomain.Reader foreign = other.register()) {
            assertEquals(1L, (long) a.call(foreign, m -> c.estimate()), "a reader of another domain is counted");
        }
        reader = domain.register();
        reader.offline();
        assertEquals(1L, (long) a.call(reader, m -> c.estimate()), "an offline reader is counted");
        reader.online();
        assertEquals(0L, (long) a.call(reader, m -> c.estimate()));

        ModuleLoader<String, TestModule> plain = new ModuleLoader<>(lifecycle, lifecycle,
                ModuleLoader.Style.THREE_POINT);
        Binding<TestModule> b = plain.bind("b");
        UseCount cb = plain.acquire("b").uses;
        cb.release();
        b.call(m -> 0);
        assertEquals(1L, (long) b.call(reader, m -> cb.estimate()), "a loader not in quiescent mode counts");
        plain.close();

        QuiescentDomain.Reader mine = reader;
        Throwable t = Background.start("other thread", () -> a.call(mine, m -> 0)).joinFailure();
        assertTrue(t instanceof IllegalStateException, "another thread's online Reader is misuse: " + t);
        assertTrue(t.getMessage().contains("confined"), t.getMessage());
    }

    @Test
    void anUnloadWaitsForAnUncountedCallInFlight() throws Exception {
        Binding<TestModule> a = loader.bind("a");
        a.call(m -> 0);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        CountDownLatch reportQuiescent = new CountDownLatch(1);
        Background<Integer> worker = Background.start("worker", () -> {
            try (QuiescentDomain.Reader r = domain.register()) {
                int id = a.call(r, m -> {
                    inside.countDown();
                    await(leave);
                    return m.call(); // counts a violation if its destroy has begun
                });
                await(reportQuiescent);
                r.quiescent();
                return id;
            }
        });
        assertTrue(inside.await(Background.WATCHDOG_SECONDS, TimeUnit.SECONDS));
        UseCount c = count("a");
        Background<UnloadResult> unload = Background.start("unload", () -> loader.unload("a"));
        Background.eventually(() -> c.state() != UseCount.State.LIVE, "the unload refuses new calls");
        leave.countDown();
        Background.eventually(() -> unload.thread().getState() != Thread.State.RUNNABLE, "the unload waits");
        assertFalse(unload.isDone(), "the worker has not passed a quiescent state: no destroy yet");
        assertFalse(lifecycle.events().contains("destroy a#1"));
        reportQuiescent.countDown();
        assertEquals(UnloadResult.UNLOADED, unload.join());
        assertEquals(1, (int) worker.join());
        assertTrue(lifecycle.events().contains("destroyed a#1"));
    }

    @Test
    void anUnloadOrReloadFromInsideAnUncountedCallIsRefused() {
        reader = domain.register();
        Binding<TestModule> a = loader.bind("a");
        a.call(m -> 0);
        loader.acquire("b").release();
        List<String> messages = a.call(reader, m -> List.of(
                assertThrows(IllegalStateException.class, () -> loader.unload("a")).getMessage(),
                assertThrows(IllegalStateException.class, () -> loader.reload("a")).getMessage(),
                assertThrows(IllegalStateException.class, () -> loader.unload("b")).getMessage()));
        assertTrue(messages.get(0).contains("inside an uncounted call"), messages.get(0));
        assertTrue(loader.isLoaded("a"), "nothing was changed");
        assertEquals(1, (int) a.call(reader, TestModule::call), "the instance still serves");
        assertTrue(loader.isLoaded("b"), "another key's unload is refused too: its grace period would be a "
                + "quiescent state inside the call of a");
    }

    @Test
    void aTryUnloadFromInsideAnUncountedCallLeavesTheInstanceUndestroyed() {
        reader = domain.register();
        Binding<TestModule> a = loader.bind("a");
        a.call(m -> 0);
        UnloadResult r = a.call(reader, m -> {
            UnloadResult u = loader.tryUnload("a");
            m.call(); // still safe: not destroyed
            return u;
        });
        assertEquals(UnloadResult.UNLOADED, r, "unloaded: no new call reaches it");
        assertFalse(lifecycle.events().contains("destroy a#1"), "but not destroyed under the call");
        assertEquals(1, failures.size());
        assertTrue(failures.peek() instanceof IllegalStateException);
        assertTrue(failures.peek().getMessage().contains("inside an uncounted call"), failures.peek().getMessage());
    }

    @Test
    void anOnlineReaderOutsideACallMayUnload() throws Exception {
        reader = domain.register();
        Binding<TestModule> a = loader.bind("a");
        a.call(reader, m -> 0);
        assertEquals(UnloadResult.UNLOADED, loader.unload("a"), "synchronize() takes it offline for the wait");
        assertTrue(reader.isOnline(), "and back online");
        assertEquals(ReloadResult.LOADED, loader.reload("a"));
        assertEquals(2, (int) a.call(reader, TestModule::call), "the next call reaches the fresh instance");
        assertEquals(ReloadResult.RELOADED, loader.reload("a"));
        assertEquals(3, (int) a.call(reader, TestModule::call));
        assertEquals(0, failures.size(), () -> "failures: " + failures);
    }

    @Test
    void aCallThatMustLoadOrWaitDoesSoOffline() {
        reader = domain.register();
        QuiescentDomain.Reader me = reader;
        boolean[] onlineInInit = {true};
        lifecycle.onInit = m -> onlineInInit[0] = me.isOnline();
        Binding<TestModule> a = loader.bind("a");
        assertEquals(1, (int) a.call(reader, TestModule::call));
        assertFalse(onlineInInit[0], "the load ran offline: an online wait could hold an unload's grace period");
        assertTrue(reader.isOnline(), "and the call is back online");

        Binding<TestModule> b = loader.bind("b");
        String m = a.call(reader, x -> assertThrows(IllegalStateException.class,
                () -> b.call(reader, TestModule::call)).getMessage());
        assertTrue(m.contains("from inside an uncounted call"), m);
        assertFalse(loader.isLoaded("b"), "nothing was loaded");
        loader.acquire("b").release();
        assertEquals(2, (int) a.call(reader, x -> b.call(reader, TestModule::call)),
                "a live instance is reached from inside an uncounted call (counted: the binding was cold)");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(Background.WATCHDOG_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("watchdog: " + latch);
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * An online reader whose acquire(key) meets an unload of key: the unload's destroy waits for a
     * grace period, which waits for the reader; the reader waits for the unload's end. The reader
     * goes offline for its wait, so both finish (without it, the watchdog fails the test).
     */
    @Test
    void anOnlineReaderWhoseAcquireMeetsAnUnloadWaitsOffline() throws Exception {
        loader.acquire("a").release();
        CountDownLatch online = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        Background<Integer> worker = Background.start("online reader", () -> {
            try (QuiescentDomain.Reader r = domain.register()) {
                online.countDown();
                go.await(); // online, no report: holds every grace period of the domain
                ModuleLoader.Handle<TestModule> h = loader.acquire("a");
                try {
                    assertTrue(r.isOnlineInCurrentThread(), "back online after the wait");
                    return h.module().id;
                } finally {
                    h.release();
                }
            }
        });
        online.await();
        Background<UnloadResult> unloader = Background.start("unloader", () -> loader.unload("a"));
        Background.eventually(() -> {
            ModuleLoader.Handle<TestModule> h = loader.tryAcquire("a");
            if (h != null) {
                h.release();
            }
            return h == null;
        }, "the unload refuses new calls");
        unloader.awaitParked(); // in the destroy's grace period, which waits for the reader
        go.countDown();
        int id;
        try {
            id = worker.join();
        } catch (AssertionError deadlocked) {
            wedged = true; // the two daemon threads wait for each other for good: no clean-up
            throw deadlocked;
        }
        assertEquals(2, id, "the reader continues with a fresh instance");
        assertEquals(UnloadResult.UNLOADED, unloader.join());
        assertTrue(failures.isEmpty(), failures::toString);
    }
}
