package dev.raceless.loader;

import dev.raceless.testing.Background;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An unload that arrives just as a load finishes: once {@code isLoaded()} has said true, an unload
 * never reports {@code NOT_LOADED}. The unloader spins on {@code isLoaded()} and unloads the moment
 * it turns true, which lands inside the load's last steps in many rounds. Variant 0 is
 * {@code tryUnload}, 1 the timed one, 2 the blocking one.
 */
class UnloadRacingLoadTest {
    private static final int ROUNDS = 1000;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void anUnloadAfterIsLoadedSaidTrueNeverReportsNotLoaded(int variant) throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            RecordingLifecycle recorder = new RecordingLifecycle();
            ModuleLoader<String, TestModule> loader =
                    new ModuleLoader<>(recorder, recorder, ModuleLoader.Style.THREE_POINT);
            Background<Void> request = Background.start("request", () -> {
                loader.acquire("a").release();
                return null;
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Background.WATCHDOG_SECONDS);
            while (!loader.isLoaded("a")) {
                if (System.nanoTime() - deadline > 0) {
                    fail("the request never loaded the module (watchdog)");
                }
                Thread.onSpinWait();
            }
            UnloadResult r = variant == 0 ? loader.tryUnload("a")
                    : variant == 1 ? loader.tryUnload("a", 1, TimeUnit.SECONDS) : loader.unload("a");
            request.join();
            assertNotEquals(UnloadResult.NOT_LOADED, r,
                    "round " + round + ": isLoaded() was true, nobody else unloads");
            if (r == UnloadResult.BUSY) {
                assertEquals(UnloadResult.UNLOADED, loader.unload("a"), "round " + round + ": BUSY changed nothing");
            }
            // after UNLOADED the request may have loaded a fresh instance: its tryAcquire met the unload
        }
    }
}
