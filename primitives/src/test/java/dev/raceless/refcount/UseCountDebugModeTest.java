package dev.raceless.refcount;

import dev.raceless.testing.ChildJvm;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exact use tracking of {@code -Ddev.raceless.refcount.debug=true}. The flag is read once, when
 * UseCount is initialised, so the checks run in a child JVM ({@link UseCountDebugChild}).
 */
class UseCountDebugModeTest {
    @Test
    void debugTrackingCatchesReleasesAndHandOffsWithNoUseHeldAtTheFaultyCall() throws Exception {
        String out = ChildJvm.run(UseCountDebugChild.class, List.of(UseCount.DEBUG_PROPERTY + "=true"));
        assertTrue(out.contains(UseCountDebugChild.ALL_PASSED), out);
    }
}
