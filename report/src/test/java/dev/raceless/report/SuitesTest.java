package dev.raceless.report;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scenario table is consistent: each class once, no method both raceless and a peer, correctness in words. */
class SuitesTest {

    @Test
    void everyPeerSaysYesOrNoAndNoMethodIsBothRacelessAndAPeer() {
        for (Suites.Suite s : Suites.ALL) {
            s.peers().forEach((method, correct) -> {
                assertTrue(correct.startsWith("yes") || correct.startsWith("no"), s.title() + ": " + method);
                assertFalse(s.isRaceless(method), s.title() + ": " + method + " is raceless and a peer");
            });
        }
    }

    @Test
    void eachClassIsListedOnce() {
        Set<String> seen = new HashSet<>();
        for (Suites.Suite s : Suites.ALL) {
            assertTrue(seen.add(s.classRegex()), s.classRegex());
            assertTrue(Suites.isRegistered(s.classRegex().replace("\\", "")), s.classRegex());
        }
    }

    @Test
    void anUnlistedClassHasNoRacelessMethodAndNoPeers() {
        Suites.Suite s = Suites.forClass("dev.raceless.bench.refcount.ExtraBenchmark");
        assertFalse(s.hasPeers());
        assertTrue(s.raceless().isEmpty());
        assertFalse(Suites.isRegistered("dev.raceless.bench.refcount.ExtraBenchmark"));
    }
}
