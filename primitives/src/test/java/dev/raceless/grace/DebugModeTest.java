package dev.raceless.grace;

import dev.raceless.testing.ChildJvm;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The self-deadlock check of {@code -Ddev.raceless.grace.debug=true} (rule 5). The flag is read
 * once when GraceDomain is initialised, so the checks run in a child JVM started with the property
 * ({@link DebugModeChild}); this test starts it and asserts it passed.
 *
 * <p>The child's class path is the two directories holding GraceDomain and the test classes
 * (found from their code sources), so it works whether surefire put the module on the class path
 * or the module path; the child needs no JUnit.
 */
class DebugModeTest {

    @Test
    void debugPropertyMakesSynchronizeInsideOwnSectionThrow() throws Exception {
        String out = runChild();
        assertTrue(out.contains(DebugModeChild.ALL_PASSED), out);
    }

    /**
     * Corner cases the debug mode once got wrong, now its contract: the token check covers the
     * index bit; a section handed to another thread is charged to the thread that entered it (its
     * synchronize() is refused until the section ends, as docs/grace-domain.md says); a deferred
     * action that hands a section off does not kill the action thread; close() inside a section
     * with actions queued throws instead of deadlocking.
     */
    @Test
    void debugModeCornerCases() throws Exception {
        String out = runChild("known-issues");
        assertFalse(out.contains("FAIL"), out);
        assertTrue(out.lines().filter(line -> line.startsWith("ok ")).count() >= 5, "every case ran: " + out);
    }

    private static String runChild(String... args) throws Exception {
        return ChildJvm.run(DebugModeChild.class, List.of(GraceDomain.DEBUG_PROPERTY + "=true"), args);
    }
}
