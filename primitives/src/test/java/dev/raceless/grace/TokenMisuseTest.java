package dev.raceless.grace;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * exit() with a token no enter() of this domain returned throws IllegalArgumentException and
 * leaves the counts alone (rule 7).
 *
 * <p>Without the debug property a domain has exactly two valid tokens (one per epoch index), so
 * "a token no enter() returned" is decidable only for values that differ from a real token in a
 * bit other than the index bit; the tests derive their bad tokens that way.
 */
class TokenMisuseTest {

    @Test
    void exitWithAForgedTokenThrowsAndLeavesTheCountsAlone() {
        GraceDomain d = new GraceDomain();
        int t = d.enter();
        for (int bad : new int[] {t ^ 2, t + 2, t - 2, t ^ Integer.MIN_VALUE, ~t, t ^ 0x1000}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.exit(bad));
            assertTrue(e.getMessage().contains("no enter()"), e.getMessage());
        }
        assertTrue(!d.trySynchronize(), "a refused exit must not end the open section");
        d.exit(t);
        assertTrue(d.trySynchronize(), "a refused exit must not corrupt the counts");
    }

    @Test
    void exitWithWellKnownValuesThrows() {
        GraceDomain d = new GraceDomain();
        int t = d.enter();
        d.exit(t);
        for (int bad : new int[] {0, 1, -1, 42, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            if (((bad ^ t) & ~1) == 0) {
                continue; // this domain's random tag happens to make it a real token (p = 2^-30)
            }
            assertThrows(IllegalArgumentException.class, () -> d.exit(bad), "token " + bad);
        }
        assertTrue(d.trySynchronize());
    }

    @Test
    void exitWithAnotherDomainsTokenThrows() {
        GraceDomain a = new GraceDomain();
        GraceDomain b = new GraceDomain();
        int ta = a.enter();
        int tb = b.enter();
        assumeTrue(((ta ^ tb) & ~1) != 0, "the two random tags collided (p = 2^-30)");
        assertThrows(IllegalArgumentException.class, () -> a.exit(tb));
        assertThrows(IllegalArgumentException.class, () -> b.exit(ta));
        a.exit(ta);
        b.exit(tb);
        assertTrue(a.trySynchronize());
        assertTrue(b.trySynchronize());
    }
}
