package dev.raceless.stress.refcount;

import dev.raceless.refcount.UseCount;

/**
 * The arbiter's one-line view of a {@link UseCount}, used as a jcstress result so that outcomes
 * read as sentences: {@code "GOING 1"} (state, uses held), {@code "DEAD 0 done"} (and the
 * termination of the current life has completed).
 *
 * <p>Only meaningful in an {@code @Arbiter}, when every actor has finished: then
 * {@link UseCount#estimate()} is exact, and a {@code DEAD} count must show {@code done} while a
 * {@code LIVE} or {@code GOING} one must not. Any other combination ({@code "DEAD 0"},
 * {@code "GOING 1 done"}) means state and termination disagree, and every test lists it as
 * FORBIDDEN through its default outcome.
 */
final class CountView {
    private CountView() {
    }

    static String of(UseCount count) {
        String view = count.state() + " " + count.estimate();
        return count.termination().isDone() ? view + " done" : view;
    }
}
