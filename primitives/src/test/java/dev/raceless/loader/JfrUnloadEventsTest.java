package dev.raceless.loader;

import dev.raceless.registry.DeregisterResult;
import dev.raceless.registry.Registration;
import dev.raceless.registry.RegistrationGroup;
import dev.raceless.registry.Registry;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JFR events of deregistration (every variant, with its result) and of module unload and
 * reload, read back with a RecordingStream. The grace and refcount events are in
 * {@code grace.JfrEventsTest}.
 */
class JfrUnloadEventsTest {
    private static final String DEREGISTRATION = "dev.raceless.Deregistration";
    private static final String MODULE_UNLOAD = "dev.raceless.ModuleUnload";

    @Test
    void deregistrationsUnloadsAndReloadsAreRecordedWithTheirResults() throws Exception {
        List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
        CountDownLatch expected = new CountDownLatch(9); // 6 deregistrations, 3 module operations
        try (RecordingStream rs = new RecordingStream()) {
            for (String name : List.of(DEREGISTRATION, MODULE_UNLOAD)) {
                rs.enable(name).withoutThreshold();
                rs.onEvent(name, e -> {
                    seen.add(e);
                    expected.countDown();
                });
            }
            rs.setMaxAge(Duration.ofSeconds(30));
            rs.startAsync();

            Registry<String> registry = new Registry<>();
            Registration<String> busy = registry.register("busy");
            assertTrue(busy.tryAcquire());
            assertEquals(DeregisterResult.BUSY, busy.tryDeregister());
            assertEquals(DeregisterResult.BUSY, busy.tryDeregister(1, TimeUnit.MILLISECONDS));
            busy.release();
            assertEquals(DeregisterResult.DEREGISTERED, busy.deregister());
            assertEquals(DeregisterResult.DEREGISTERED, registry.register("async").deregisterAsync().join());
            RegistrationGroup group = new RegistrationGroup();
            group.add(registry.register("member"));
            assertEquals(DeregisterResult.DEREGISTERED, group.tryDeregisterAll());
            assertEquals(DeregisterResult.ALREADY_DEREGISTERED, group.deregisterAll());

            RecordingLifecycle recorder = new RecordingLifecycle();
            ModuleLoader<String, TestModule> loader = new ModuleLoader<>(recorder, recorder, ModuleLoader.Style.THREE_POINT);
            loader.acquire("a").release();
            assertEquals(ReloadResult.RELOADED, loader.reload("a"));
            assertEquals(UnloadResult.UNLOADED, loader.unload("a"));
            assertEquals(UnloadResult.NOT_LOADED, loader.tryUnload("a"));

            assertTrue(expected.await(30, TimeUnit.SECONDS), "events seen: " + seen);
        }
        assertRecorded(seen, DEREGISTRATION, "variant", "tryDeregister", "BUSY");
        assertRecorded(seen, DEREGISTRATION, "variant", "tryDeregister(timeout)", "BUSY");
        assertRecorded(seen, DEREGISTRATION, "variant", "deregister", "DEREGISTERED");
        assertRecorded(seen, DEREGISTRATION, "variant", "deregisterAsync", "DEREGISTERED");
        assertRecorded(seen, DEREGISTRATION, "variant", "tryDeregisterAll", "DEREGISTERED");
        assertRecorded(seen, DEREGISTRATION, "variant", "deregisterAll", "ALREADY_DEREGISTERED");
        assertRecorded(seen, MODULE_UNLOAD, "operation", "reload", "RELOADED");
        assertRecorded(seen, MODULE_UNLOAD, "operation", "unload", "UNLOADED");
        assertRecorded(seen, MODULE_UNLOAD, "operation", "tryUnload", "NOT_LOADED");
        RecordedEvent unload = find(seen, e -> e.getEventType().getName().equals(MODULE_UNLOAD)
                && "unload".equals(e.getString("operation")));
        assertEquals("a", unload.getString("key"));
    }

    private static void assertRecorded(List<RecordedEvent> seen, String type, String field, String value, String result) {
        RecordedEvent e = find(seen, x -> x.getEventType().getName().equals(type) && value.equals(x.getString(field)));
        assertEquals(result, e.getString("result"), e.toString());
    }

    private static RecordedEvent find(List<RecordedEvent> seen, Predicate<RecordedEvent> which) {
        return seen.stream().filter(which).findFirst().orElseThrow(() -> new AssertionError("not recorded; seen " + seen));
    }
}
