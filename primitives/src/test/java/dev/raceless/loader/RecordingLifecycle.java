package dev.raceless.loader;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Test support: the factory and lifecycle of {@link TestModule}s, recording every point called
 * ("init a#1", "stop a#1", "destroyed a#1" once destroy returned, ...) and counting violations of
 * the loader's rule: two live instances of one key (an instance is live from the start of its
 * init until its destroy returned, or its init/start failed), a call into an instance whose
 * destroy has begun, a destroy while a call is inside. Hooks let a test block or fail a point.
 */
final class RecordingLifecycle implements Lifecycle<TestModule>, Function<String, TestModule> {

    /** A point's hook; may block or throw. */
    @FunctionalInterface
    interface Hook {
        void run(TestModule m) throws Exception;
    }

    private static final Hook NOTHING = m -> { };

    final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
    final AtomicInteger made = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> live = new ConcurrentHashMap<>();
    private final AtomicInteger violationCount = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();

    /** If set, the factory runs it with the key first (and may throw). */
    volatile Function<String, RuntimeException> factoryFailure = k -> null;
    volatile Hook onInit = NOTHING;
    volatile Hook onStart = NOTHING;
    volatile Hook onStop = NOTHING;
    volatile Hook onDestroy = NOTHING;

    @Override
    public TestModule apply(String key) {
        RuntimeException failure = factoryFailure.apply(key);
        if (failure != null) {
            events.add("factory failed " + key);
            throw failure;
        }
        return new TestModule(key, made.incrementAndGet(), this);
    }

    @Override
    public void init(TestModule m) throws Exception {
        int n = live.computeIfAbsent(m.key, k -> new AtomicInteger()).incrementAndGet();
        if (n != 1) {
            violation(n + " live instances of " + m.key + " at the init of " + m);
        }
        events.add("init " + m);
        try {
            onInit.run(m);
        } catch (Exception | Error e) {
            events.add("init failed " + m);
            live.get(m.key).decrementAndGet(); // discarded, not destroyed
            throw e;
        }
        m.initialized = true;
    }

    @Override
    public void start(TestModule m) {
        events.add("start " + m);
        if (m.destroyBegan) {
            violation("start of " + m + " after its destroy began");
        }
        m.starts.incrementAndGet();
        m.stopped = false;
        run(onStart, m);
    }

    @Override
    public void stop(TestModule m) {
        events.add("stop " + m);
        m.stopped = true;
        run(onStop, m);
    }

    @Override
    public void destroy(TestModule m) throws Exception {
        m.destroyBegan = true; // volatile write, then read inCall: pairs with TestModule.call
        if (m.inCall.get() != 0) {
            violation("destroy of " + m + " while a call is inside");
        }
        events.add("destroy " + m);
        try {
            onDestroy.run(m);
        } finally {
            m.destroyReturned = true;
            live.get(m.key).decrementAndGet();
            events.add("destroyed " + m);
        }
    }

    /** Instances of {@code key} live now. */
    int live(String key) {
        AtomicInteger n = live.get(key);
        return n == null ? 0 : n.get();
    }

    void violation(String what) {
        violationCount.incrementAndGet();
        if (violations.size() < 20) {
            violations.add(what);
        }
    }

    int violationCount() {
        return violationCount.get();
    }

    List<String> violations() {
        return new ArrayList<>(violations);
    }

    List<String> events() {
        return new ArrayList<>(events);
    }

    private static void run(Hook hook, TestModule m) {
        try {
            hook.run(m);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
