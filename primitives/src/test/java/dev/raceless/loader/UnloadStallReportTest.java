package dev.raceless.loader;

import dev.raceless.registry.DeregisterResult;
import dev.raceless.registry.Registration;
import dev.raceless.registry.Registry;
import dev.raceless.testing.Background;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stall reports of the blocking deregistration and of unload: a wait on a call that stays in
 * flight is reported once, naming what is deregistered or unloaded. The thresholds are tiny; no
 * duration is asserted: the test waits for the report, with a watchdog that only turns a hang
 * into a failure.
 */
class UnloadStallReportTest {

    @Test
    void aDeregisterThatWaitsOnACallInFlightIsReportedOnceNamingTheRegistration() {
        Registry<String> registry = new Registry<>();
        Registration<String> r = registry.register("stuck-service");
        List<String> reports = new CopyOnWriteArrayList<>();
        r.reportStalls(20, TimeUnit.MILLISECONDS, reports::add);
        assertTrue(r.tryAcquire());
        Background<DeregisterResult> deregister = Background.start("deregisterer", r::deregister);
        Background.eventually(() -> !reports.isEmpty(), "a stall report");
        String report = reports.get(0);
        assertTrue(report.startsWith("deregistration of ") && report.contains("stuck-service")
                && report.contains("deregisterer"), report);
        r.release();
        assertEquals(DeregisterResult.DEREGISTERED, deregister.join());
        assertEquals(1, reports.size(), reports.toString());
    }

    @Test
    void anUnloadThatWaitsOnACallInFlightIsReportedOnceNamingTheKey() {
        RecordingLifecycle recorder = new RecordingLifecycle();
        ModuleLoader<String, TestModule> loader =
                new ModuleLoader<>(recorder, recorder, ModuleLoader.Style.THREE_POINT);
        List<String> reports = new CopyOnWriteArrayList<>();
        loader.reportStalls(20, TimeUnit.MILLISECONDS, reports::add);
        ModuleLoader.Handle<TestModule> inFlight = loader.acquire("stuck-key");
        Background<UnloadResult> unload = Background.start("unloader", () -> loader.unload("stuck-key"));
        Background.eventually(() -> !reports.isEmpty(), "a stall report");
        String report = reports.get(0);
        assertTrue(report.startsWith("unload of stuck-key: ") && report.contains("unloader"), report);
        inFlight.release();
        assertEquals(UnloadResult.UNLOADED, unload.join());
        assertEquals(1, reports.size(), reports.toString());
    }

    @Test
    void aThresholdThatIsNotPositiveIsRefused() {
        RecordingLifecycle recorder = new RecordingLifecycle();
        ModuleLoader<String, TestModule> loader =
                new ModuleLoader<>(recorder, recorder, ModuleLoader.Style.THREE_POINT);
        assertThrows(IllegalArgumentException.class, () -> loader.reportStalls(0, TimeUnit.SECONDS, s -> { }));
        Registration<String> r = new Registry<String>().register("x");
        assertThrows(IllegalArgumentException.class, () -> r.reportStalls(-1, TimeUnit.SECONDS, s -> { }));
        assertThrows(NullPointerException.class, () -> r.reportStalls(1, TimeUnit.SECONDS, null));
    }
}
