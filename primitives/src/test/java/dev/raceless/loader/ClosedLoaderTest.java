package dev.raceless.loader;

import dev.raceless.testing.Background;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ModuleLoader#close()} unloads every instance (waiting for the calls in flight) and
 * refuses every later load; a handle is AutoCloseable, its close() ends the use.
 */
class ClosedLoaderTest {
    private final RecordingLifecycle recorder = new RecordingLifecycle();
    private final ModuleLoader<String, TestModule> loader =
            new ModuleLoader<>(recorder, recorder, ModuleLoader.Style.THREE_POINT);

    @Test
    void closeWaitsForTheCallInFlightUnloadsAndRefusesNewLoads() {
        try (ModuleLoader.Handle<TestModule> b = loader.acquire("b")) {
            b.module().call();
        }
        ModuleLoader.Handle<TestModule> a = loader.acquire("a");
        Background<Void> closing = Background.start("close", () -> {
            loader.close();
            return null;
        });
        closing.awaitParked();
        assertFalse(closing.isDone(), "close waits for the call in flight");
        a.close(); // the same as release()
        closing.join();
        assertTrue(loader.isClosed());
        assertEquals(List.of(), List.copyOf(loader.loadedKeys()));
        assertEquals(0, recorder.live("a") + recorder.live("b"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loader.acquire("a"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> loader.reload("c"));
        loader.close(); // idempotent
    }
}
