package dev.raceless.loader;

import java.util.ArrayList;
import java.util.List;

/**
 * The functions of the loader's map from a key to two values (the handle and its use count): a
 * copy-on-write open-addressing table, read without a lock and replaced, never written, by its
 * owner under a lock (the owner keeps the array in a volatile field of its own), as
 * {@link java.util.concurrent.CopyOnWriteArrayList} keeps its array. A loader holds few keys and
 * changes them only when it loads, unloads or reloads, while every call reads the map. A read is
 * one volatile load of the owner's field and a probe of one array, with both values beside their
 * key. {@link java.util.concurrent.ConcurrentHashMap#get} goes through the map object, its table
 * and a node, with more work per probe. The call's cost follows the instructions of its compiled
 * loop more than its loads (docs/loader.md, "Design decisions"; LoaderHotPathBenchmark).
 *
 * <p>Keys and values are non-null; keys are compared by {@code equals}. Every write copies the
 * table and calls the keys' {@code hashCode} and {@code equals} (linear in the number of keys, so
 * loading n keys costs n²/2 probes in all): meant for the tens of keys a loader holds, not for
 * millions.
 */
final class KeyTable {
    /*
     * Implementation notes: entries are STRIDE elements long, t[i] a key, t[i + FIRST] and
     * t[i + SECOND] its values, t[i + 3] unused (so that the stride is a power of two and a probe
     * step is an add and a mask), with linear probing over a power-of-two number of entries of
     * which at most half are used, so a probe always meets a null key. A published array is never
     * written again: with() and without() build a new one, which the owner publishes with a
     * volatile write, so a reader that loaded the array sees every element written before
     * (happens-before through the volatile).
     */

    /** Elements per entry. */
    static final int STRIDE = 4;
    /** Offset of an entry's first value from its key, for a reader that found the key with {@link #find}. */
    static final int FIRST = 1;
    /** Offset of an entry's second value from its key. */
    static final int SECOND = 2;

    /** The table with no entry. */
    static final Object[] EMPTY = new Object[2 * STRIDE];

    private KeyTable() {
    }

    /**
     * The index of {@code key}'s entry in {@code t}, or -1: read its values at {@code index +
     * FIRST} and {@code index + SECOND}.
     *
     * @param t a table
     * @param key a non-null key
     * @return the index of the key, or -1 if {@code t} has no entry for it
     */
    static int find(Object[] t, Object key) {
        int mask = t.length - STRIDE;
        int i = index(key, mask);
        for (;;) {
            Object k = t[i];
            if (k == key) {
                return i;
            }
            if (k == null) {
                return -1;
            }
            if (key.equals(k)) {
                return i;
            }
            i = (i + STRIDE) & mask;
        }
    }

    /**
     * The first value for {@code key} in {@code t}, or null.
     *
     * @param t a table
     * @param key a non-null key
     * @param <V> the value type
     * @return the first value, or null
     */
    @SuppressWarnings("unchecked")
    static <V> V get(Object[] t, Object key) {
        int i = find(t, key);
        return i < 0 ? null : (V) t[i + FIRST];
    }

    /**
     * {@return a new table: {@code t} with {@code key} mapped to {@code first} and {@code second},
     * added or replaced}
     */
    static Object[] with(Object[] t, Object key, Object first, Object second) {
        Object[] n = copy(t, key, size(t) + 1);
        insert(n, key, first, second);
        return n;
    }

    /** {@return a new table: {@code t} without {@code key}} */
    static Object[] without(Object[] t, Object key) {
        return copy(t, key, size(t));
    }

    /** {@return the keys of {@code t}} */
    @SuppressWarnings("unchecked")
    static <K> List<K> keys(Object[] t) {
        List<K> keys = new ArrayList<>();
        for (int i = 0; i < t.length; i += STRIDE) {
            if (t[i] != null) {
                keys.add((K) t[i]);
            }
        }
        return keys;
    }

    private static int size(Object[] t) {
        int n = 0;
        for (int i = 0; i < t.length; i += STRIDE) {
            if (t[i] != null) {
                n++;
            }
        }
        return n;
    }

    /** A table with room for {@code entries} entries holding those of {@code t} except {@code without}'s. */
    private static Object[] copy(Object[] t, Object without, int entries) {
        int slots = 2;
        while (slots < 2 * entries) {
            slots <<= 1;
        }
        Object[] n = new Object[STRIDE * slots];
        for (int i = 0; i < t.length; i += STRIDE) {
            Object k = t[i];
            if (k != null && !k.equals(without)) {
                insert(n, k, t[i + FIRST], t[i + SECOND]);
            }
        }
        return n;
    }

    private static void insert(Object[] t, Object key, Object first, Object second) {
        int mask = t.length - STRIDE;
        int i = index(key, mask);
        while (t[i] != null) {
            i = (i + STRIDE) & mask;
        }
        t[i] = key;
        t[i + FIRST] = first;
        t[i + SECOND] = second;
    }

    /** The index of the key's first probe: the hash spread as HashMap spreads it, times the stride. */
    private static int index(Object key, int mask) {
        int h = key.hashCode();
        return ((h ^ (h >>> 16)) * STRIDE) & mask;
    }
}
