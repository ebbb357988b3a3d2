package dev.raceless.loader;

import dev.raceless.registry.DeregisterResult;
import dev.raceless.registry.Registration;
import dev.raceless.registry.RegistrationGroup;
import dev.raceless.registry.Registry;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.raceless.testing.Background.eventually;
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
        Queue<RecordedEvent> seen = new ConcurrentLinkedQueue<>(); // O(1) adds: the warm-up may record thousands
        try (RecordingStream rs = new RecordingStream()) {
            for (String name : List.of(DEREGISTRATION, MODULE_UNLOAD)) {
                rs.enable(name).withoutThreshold();
                rs.onEvent(name, seen::add);
            }
            rs.setMaxAge(Duration.ofSeconds(30));
            rs.startAsync();
            // The stream starts asynchronously: deregister throw-away registrations until one is
            // seen, so that none of the calls under test happens before the recording runs.
            Registry<String> warmUp = new Registry<>();
            eventually(() -> {
                if (seen.stream().anyMatch(e -> e.getEventType().getName().equals(DEREGISTRATION)
                        && "Registration[warm-up, deregistered]".equals(e.getString("registration")))) {
                    return true;
                }
                warmUp.register("warm-up").tryDeregister();
                return false;
            }, "the recording starts (a warm-up deregistration is seen)");

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
            ModuleLoader<String, TestModule> loader =
                    new ModuleLoader<>(recorder, recorder, ModuleLoader.Style.THREE_POINT);
            loader.acquire("a").release();
            assertEquals(ReloadResult.RELOADED, loader.reload("a"));
            assertEquals(UnloadResult.UNLOADED, loader.unload("a"));
            assertEquals(UnloadResult.NOT_LOADED, loader.tryUnload("a"));

            awaitRecorded(seen, DEREGISTRATION, "variant", "tryDeregister");
            awaitRecorded(seen, DEREGISTRATION, "variant", "tryDeregister(timeout)");
            awaitRecorded(seen, DEREGISTRATION, "variant", "deregister");
            awaitRecorded(seen, DEREGISTRATION, "variant", "deregisterAsync");
            awaitRecorded(seen, DEREGISTRATION, "variant", "tryDeregisterAll");
            awaitRecorded(seen, DEREGISTRATION, "variant", "deregisterAll");
            awaitRecorded(seen, MODULE_UNLOAD, "operation", "reload");
            awaitRecorded(seen, MODULE_UNLOAD, "operation", "unload");
            awaitRecorded(seen, MODULE_UNLOAD, "operation", "tryUnload");
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

    /** Waits until an event of {@code type} with {@code field} = {@code value} arrives (a watchdog, not a timing). */
    private static void awaitRecorded(Collection<RecordedEvent> seen, String type, String field, String value) {
        eventually(() -> seen.stream().anyMatch(x -> !isWarmUp(x) && x.getEventType().getName().equals(type)
                && value.equals(x.getString(field))), "a " + type + " event with " + field + " " + value);
    }

    private static void assertRecorded(Collection<RecordedEvent> seen, String type, String field, String value,
            String result) {
        RecordedEvent e = find(seen, x -> x.getEventType().getName().equals(type) && value.equals(x.getString(field)));
        assertEquals(result, e.getString("result"), e.toString());
    }

    /**
     * A throw-away event of the warm-up loop. The first events of a stream may arrive with their
     * strings unresolved (N/A: read as null); only warm-up events can be that early.
     */
    private static boolean isWarmUp(RecordedEvent e) {
        if (!e.getEventType().getName().equals(DEREGISTRATION)) {
            return false;
        }
        String r = e.getString("registration");
        return r == null || r.contains("warm-up");
    }

    private static RecordedEvent find(Collection<RecordedEvent> seen, Predicate<RecordedEvent> which) {
        return seen.stream().filter(e -> !isWarmUp(e)).filter(which).findFirst()
                .orElseThrow(() -> new AssertionError("not recorded; seen " + seen));
    }
}
