package dev.raceless.registry;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The subsystem's side of a {@link Registry}: registering, forEach, acquireFirst, the hot path. */
class RegistryCallsTest {

    @Test
    void forEachCallsEveryRegisteredServiceInRegistrationOrder() {
        Registry<String> registry = new Registry<>();
        registry.register("a");
        registry.register("b");
        registry.register("c");
        List<String> seen = new ArrayList<>();
        registry.forEach(seen::add);
        assertEquals(List.of("a", "b", "c"), seen);
        assertEquals(3, registry.size());
        assertEquals(3, registry.registrations().size());
    }

    @Test
    void registerRejectsNull() {
        assertThrows(NullPointerException.class, () -> new Registry<String>().register(null));
    }

    @Test
    void registrationKnowsItsServiceAndRegistry() {
        Registry<String> registry = new Registry<>();
        Registration<String> r = registry.register("a");
        assertEquals("a", r.service());
        assertSame(registry, r.registry());
        assertTrue(r.isRegistered());
        assertFalse(r.isDeregistered());
    }

    @Test
    void forEachSkipsAServiceWhoseDeregistrationHasBegun() {
        Registry<String> registry = new Registry<>();
        Registration<String> a = registry.register("a");
        registry.register("b");
        assertTrue(a.tryAcquire()); // a call in flight keeps a's deregistration pending
        CompletableFuture<DeregisterResult> pending = a.deregisterAsync();
        assertFalse(pending.isDone());

        List<String> seen = new ArrayList<>();
        registry.forEach(seen::add);
        assertEquals(List.of("b"), seen, "a is being deregistered: no new call starts");
        assertEquals(2, registry.size(), "a stays in the directory until its last call ends");
        assertFalse(a.isRegistered());

        a.release();
        assertEquals(DeregisterResult.DEREGISTERED, pending.join());
        assertEquals(1, registry.size());
    }

    @Test
    void forEachReleasesTheUseWhenTheActionThrows() {
        Registry<String> registry = new Registry<>();
        Registration<String> a = registry.register("a");
        Registration<String> b = registry.register("b");
        List<String> seen = new ArrayList<>();
        assertThrows(IllegalStateException.class, () -> registry.forEach(s -> {
            seen.add(s);
            throw new IllegalStateException("boom");
        }));
        assertEquals(List.of("a"), seen, "the remaining services are not called");
        assertEquals(DeregisterResult.DEREGISTERED, a.tryDeregister(), "the failed call released its use");
        assertEquals(DeregisterResult.DEREGISTERED, b.tryDeregister());
    }

    @Test
    void acquireFirstReturnsTheFirstMatchWithAUseHeld() {
        Registry<String> registry = new Registry<>();
        registry.register("apple");
        Registration<String> banana = registry.register("banana");
        Registration<String> got = registry.acquireFirst(s -> s.startsWith("b"));
        assertSame(banana, got);
        assertEquals(DeregisterResult.BUSY, banana.tryDeregister(), "the caller holds a use");
        got.release();
        assertEquals(DeregisterResult.DEREGISTERED, banana.tryDeregister());
    }

    @Test
    void acquireFirstReleasesTheCandidatesItRejects() {
        Registry<String> registry = new Registry<>();
        Registration<String> apple = registry.register("apple");
        Registration<String> avocado = registry.register("avocado");
        assertNull(registry.acquireFirst(s -> s.startsWith("z")));
        assertEquals(DeregisterResult.DEREGISTERED, apple.tryDeregister());
        assertEquals(DeregisterResult.DEREGISTERED, avocado.tryDeregister());
    }

    @Test
    void acquireFirstSkipsAServiceBeingDeregistered() {
        Registry<String> registry = new Registry<>();
        Registration<String> a = registry.register("a");
        Registration<String> b = registry.register("b");
        assertTrue(a.tryAcquire());
        CompletableFuture<DeregisterResult> pending = a.deregisterAsync();
        Registration<String> got = registry.acquireFirst(s -> true);
        assertSame(b, got);
        got.release();
        a.release();
        assertEquals(DeregisterResult.DEREGISTERED, pending.join());
    }

    @Test
    void registrationsIsASnapshot() {
        Registry<String> registry = new Registry<>();
        Registration<String> a = registry.register("a");
        List<Registration<String>> before = registry.registrations();
        registry.register("b");
        assertEquals(List.of(a), before);
        assertThrows(UnsupportedOperationException.class, () -> before.add(a));
        a.deregister();
        assertEquals(1, registry.size());
        assertEquals("b", registry.registrations().get(0).service());
    }

    @Test
    void removingOneRegistrationKeepsTheOthersInOrder() {
        Registry<String> registry = new Registry<>();
        registry.register("a");
        Registration<String> b = registry.register("b");
        registry.register("c");
        assertEquals(DeregisterResult.DEREGISTERED, b.tryDeregister());
        List<String> seen = new ArrayList<>();
        registry.forEach(seen::add);
        assertEquals(List.of("a", "c"), seen);
    }

    /**
     * The hot path allocates nothing: the current thread's allocation counter (HotSpot's
     * com.sun.management.ThreadMXBean, reached reflectively because this test module does not
     * read java.management) does not move over many forEach and acquireFirst/release calls. A
     * small slack absorbs the reflective calls that read the counter.
     */
    @Test
    void hotPathAllocatesNothing() throws Exception {
        Registry<Probe> registry = new Registry<>();
        registry.register(new Probe("a"));
        registry.register(new Probe("b"));
        Consumer<Probe> call = Probe::call;
        Predicate<Probe> second = p -> p.name.equals("b");
        AllocationCounter counter = AllocationCounter.forCurrentThread();
        for (int i = 0; i < 20_000; i++) { // warm up: class loading, profiling, compilation
            hotPath(registry, call, second);
        }
        long before = counter.allocatedBytes();
        for (int i = 0; i < 200_000; i++) {
            hotPath(registry, call, second);
        }
        long allocated = counter.allocatedBytes() - before;
        assertTrue(allocated < 4096, "200000 hot-path rounds allocated " + allocated + " bytes");
    }

    private static void hotPath(Registry<Probe> registry, Consumer<Probe> call, Predicate<Probe> second) {
        registry.forEach(call);
        Registration<Probe> r = registry.acquireFirst(second);
        r.service().call();
        r.release();
    }

    /** The current thread's allocated bytes, through HotSpot's ThreadMXBean, reflectively. */
    static final class AllocationCounter {
        private final Object bean;
        private final Method allocated;

        private AllocationCounter(Object bean, Method allocated) {
            this.bean = bean;
            this.allocated = allocated;
        }

        static AllocationCounter forCurrentThread() throws ReflectiveOperationException {
            Object bean =
                    Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Method m = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
            return new AllocationCounter(bean, m);
        }

        long allocatedBytes() throws ReflectiveOperationException {
            return (Long) allocated.invoke(bean);
        }
    }
}
