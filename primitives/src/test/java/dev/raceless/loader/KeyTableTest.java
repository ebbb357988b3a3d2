package dev.raceless.loader;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

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
    void theEmptyTableHasNoValue() {
        assertNull(KeyTable.get(KeyTable.EMPTY, "a"));
        assertEquals(List.of(), KeyTable.keys(KeyTable.EMPTY));
    }

    @Test
    void withAddsOrReplacesAndNeverWritesTheTableItWasGiven() {
        Object[] empty = KeyTable.EMPTY.clone();
        Object[] one = KeyTable.with(empty, "a", "1");
        assertNull(KeyTable.get(empty, "a"), "the old table is unchanged");
        assertEquals("1", KeyTable.get(one, "a"));
        assertEquals("1", KeyTable.get(one, new String("a")), "found by equals, not only by identity");
        Object[] replaced = KeyTable.with(one, "a", "2");
        assertNotSame(one, replaced);
        assertEquals("1", KeyTable.get(one, "a"));
        assertEquals("2", KeyTable.get(replaced, "a"));
        assertEquals(List.of("a"), KeyTable.keys(replaced));
        Object[] none = KeyTable.without(replaced, "a");
        assertNull(KeyTable.get(none, "a"));
        assertEquals("2", KeyTable.get(replaced, "a"));
    }

    @Test
    void collidingKeysAreAllFoundAfterARemovalInTheMiddleOfTheirProbe() {
        Object[] t = KeyTable.EMPTY;
        for (int i = 0; i < 6; i++) {
            t = KeyTable.with(t, new Key("k" + i, 7), i);
        }
        t = KeyTable.without(t, new Key("k2", 7));
        for (int i = 0; i < 6; i++) {
            Integer v = KeyTable.get(t, new Key("k" + i, 7));
            assertEquals(i == 2 ? null : Integer.valueOf(i), v);
        }
        assertEquals(5, KeyTable.keys(t).size());
    }

    @Test
    void agreesWithAHashMapOverRandomOperations() {
        Random r = new Random(42);
        Object[] t = KeyTable.EMPTY;
        Map<Key, Integer> model = new HashMap<>();
        for (int op = 0; op < 20_000; op++) {
            int n = r.nextInt(40);
            Key k = new Key("k" + n, n % 8); // five keys share each hash
            if (r.nextInt(3) == 0) {
                model.remove(k);
                t = KeyTable.without(t, k);
            } else {
                Integer v = r.nextInt(1000);
                model.put(k, v);
                t = KeyTable.with(t, k, v);
            }
            assertSame(model.get(k), KeyTable.get(t, k));
        }
        for (int n = 0; n < 40; n++) {
            Key k = new Key("k" + n, n % 8);
            assertSame(model.get(k), KeyTable.get(t, k));
        }
        assertEquals(model.keySet(), new HashSet<>(KeyTable.keys(t)));
    }
}
