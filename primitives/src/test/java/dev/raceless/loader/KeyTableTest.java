package dev.raceless.loader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A probe that never meets an empty slot would loop forever: the watchdog turns that into a failure. */
@Timeout(60)
class KeyTableTest {

    /** A key whose hash is chosen, so that keys collide on purpose. */
    record Key(String name, int hash) {
        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).name.equals(name) && ((Key) o).hash == hash;
        }
    }

    @Test
    void theEmptyTableHasNoValueAndStaysEmpty() {
        assertNull(KeyTable.get(KeyTable.EMPTY, "a"));
        assertEquals(List.of(), KeyTable.keys(KeyTable.EMPTY));
        KeyTable.without(KeyTable.with(KeyTable.EMPTY, "a", "1", "one"), "a");
        assertNull(KeyTable.without(KeyTable.EMPTY, "a")[0], "without on an absent key");
        for (Object o : KeyTable.EMPTY) {
            assertNull(o, "EMPTY was written");
        }
    }

    @Test
    void withAddsOrReplacesAndNeverWritesTheTableItWasGiven() {
        Object[] empty = KeyTable.EMPTY.clone();
        Object[] one = KeyTable.with(empty, "a", "1", "one");
        assertNull(KeyTable.get(empty, "a"), "the old table is unchanged");
        assertEquals("1", KeyTable.get(one, "a"));
        assertEquals("1", KeyTable.get(one, new String("a")), "found by equals, not only by identity");
        Object[] replaced = KeyTable.with(one, "a", "2", "two");
        assertNotSame(one, replaced);
        assertEquals("1", KeyTable.get(one, "a"));
        assertEquals("2", KeyTable.get(replaced, "a"));
        assertEquals("two", second(replaced, "a"), "the second value is replaced with the first");
        assertEquals("one", second(one, "a"));
        assertEquals(List.of("a"), KeyTable.keys(replaced));
        Object[] none = KeyTable.without(replaced, "a");
        assertNull(KeyTable.get(none, "a"));
        assertEquals("2", KeyTable.get(replaced, "a"));
    }

    @Test
    void collidingKeysAreAllFoundAfterARemovalInTheMiddleOfTheirProbe() {
        Object[] t = KeyTable.EMPTY;
        for (int i = 0; i < 6; i++) {
            t = KeyTable.with(t, new Key("k" + i, 7), i, -i);
        }
        t = KeyTable.without(t, new Key("k2", 7));
        for (int i = 0; i < 6; i++) {
            Integer v = KeyTable.get(t, new Key("k" + i, 7));
            assertEquals(i == 2 ? null : Integer.valueOf(i), v);
            if (i != 2) {
                assertEquals(-i, second(t, new Key("k" + i, 7)), "the second value moved with its key");
            } else {
                assertEquals(-1, KeyTable.find(t, new Key("k2", 7)));
            }
        }
        assertEquals(5, KeyTable.keys(t).size());
    }

    @Test
    void agreesWithAHashMapOverRandomOperations() {
        Random r = new Random(42);
        Object[] t = KeyTable.EMPTY;
        Map<Key, Integer> model = new HashMap<>();
        for (int op = 0; op < 20_000; op++) {
            Key k = key(r.nextInt(40));
            if (r.nextInt(3) == 0) {
                model.remove(k);
                t = KeyTable.without(t, k);
            } else {
                Integer v = r.nextInt(1000);
                model.put(k, v);
                t = KeyTable.with(t, k, v, List.of(v));
            }
            assertSame(model.get(k), KeyTable.get(t, k));
            if (model.containsKey(k)) {
                assertEquals(List.of(model.get(k)), second(t, k));
            }
            assertTrue(2 * KeyTable.STRIDE * KeyTable.keys(t).size() <= t.length, "more than half the entries used");
        }
        for (int n = 0; n < 40; n++) {
            assertSame(model.get(key(n)), KeyTable.get(t, key(n)));
            assertEquals(model.containsKey(key(n)), KeyTable.find(t, key(n)) >= 0);
        }
        assertEquals(model.size(), KeyTable.keys(t).size(), "a key is in the table twice");
        assertEquals(model.keySet(), new HashSet<>(KeyTable.keys(t)));
    }

    /** The second value of {@code key}'s entry, found as the loader's hot path finds it. */
    private static Object second(Object[] t, Object key) {
        int i = KeyTable.find(t, key);
        assertTrue(i >= 0 && i % KeyTable.STRIDE == 0, "an entry's index: " + i);
        return t[i + KeyTable.SECOND];
    }

    /** Five keys share each of eight hashes: small, negative, MIN_VALUE, and ones that differ only above bit 16. */
    private static Key key(int n) {
        int[] hashes = {0, 7, -1, Integer.MIN_VALUE, 1 << 16, 3 << 16, 1 << 30, -12345};
        return new Key("k" + n, hashes[n % hashes.length]);
    }
}
