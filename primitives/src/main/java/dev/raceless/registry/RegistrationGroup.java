package dev.raceless.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A module's registrations across several registries, deregistered together: all or nothing.
 *
 * <p><b>The rule.</b> {@link #tryDeregisterAll()} "either does nothing, and returns failure, or it
 * returns success, and completely de-registers everything it has previously registered" (Werner
 * Almesberger, 2002). It never blocks. {@link #deregisterAll()} refuses new calls into every member
 * at once and returns when the calls in flight into all of them have finished.
 *
 * <p><b>Not guaranteed.</b> During a {@code tryDeregisterAll()} that ends {@code BUSY}, calls into
 * members it had already checked may have found them briefly absent (the seed accepts that the
 * module "could briefly disappear"). A member that another thread deregisters individually at the
 * same time is that thread's business: the group attempt then reports {@code BUSY} or
 * {@code ALREADY_DEREGISTERED} and undoes only its own steps.
 *
 * <p><b>Memory consistency effects.</b> Actions in every call into any member happen-before a
 * {@code DEREGISTERED} result (jcstress {@code TryDeregisterAllVsCalls}).
 *
 * <p>Not thread-safe for {@link #add}: build the group, then share it.
 */
public final class RegistrationGroup {
    /*
     * Implementation notes.
     *
     * tryDeregisterAll: claim every member (TRYING), then tryShutdown each in order. The first that
     * is busy makes the attempt fail: members already stopped are reopened (their UseCount goes
     * DEAD -> LIVE, a new life, exactly as before but for the instant in between), claims are
     * released. If all stopped, every member is DEAD at once and each is removed from its
     * registry. A member can never be both removed and callable: removal happens only after all
     * members are DEAD, and a DEAD member is reopened only on the failure path, where nothing is
     * removed.
     *
     * Rejected: one UseCount for the whole group (the hot path of every registry would share one
     * count per module, and a registration could no longer be deregistered on its own).
     */

    private final List<Registration<?>> members = new ArrayList<>();

    /** Creates an empty group. */
    public RegistrationGroup() {
    }

    /**
     * Adds a registration; returns it, for chaining with {@code register}.
     *
     * @throws IllegalArgumentException if it is already a member (a group would then block
     *         itself: its own claim on the first copy refuses the second)
     */
    public <T> Registration<T> add(Registration<T> registration) {
        Objects.requireNonNull(registration, "registration");
        for (Registration<?> m : members) {
            if (m == registration) {
                throw new IllegalArgumentException("add(" + registration + "): already a member of this group");
            }
        }
        members.add(registration);
        return registration;
    }

    /** The members, in the order added. */
    public List<Registration<?>> members() {
        return List.copyOf(members);
    }

    /**
     * Deregisters every member if none has a call in flight; never blocks.
     *
     * @return {@code DEREGISTERED} if this call deregistered every member; {@code BUSY} if it
     *         changed nothing; {@code ALREADY_DEREGISTERED} if some member was already deregistered
     *         (or committed to it) by another call, in which case this call changed nothing
     */
    public DeregisterResult tryDeregisterAll() {
        int n = members.size();
        int claimed = 0;
        for (; claimed < n; claimed++) {
            if (!members.get(claimed).claimForTry()) {
                DeregisterResult why = members.get(claimed).isTakenByOther()
                        ? DeregisterResult.ALREADY_DEREGISTERED : DeregisterResult.BUSY;
                undo(claimed, 0);
                return why;
            }
        }
        for (int stopped = 0; stopped < n; stopped++) {
            boolean ok;
            try {
                ok = members.get(stopped).tryStop();
            } catch (IllegalStateException misuse) {
                undo(n, stopped);
                throw misuse;
            }
            if (!ok) {
                undo(n, stopped);
                return DeregisterResult.BUSY;
            }
        }
        for (Registration<?> r : members) { // all DEAD: remove every one
            r.finish();
        }
        return DeregisterResult.DEREGISTERED;
    }

    /**
     * Refuses new calls into every member at once, then waits for the calls in flight into all of
     * them to finish, then removes them all. Waits uninterruptibly; the interrupt status is kept.
     *
     * @return {@code DEREGISTERED} if this call deregistered at least one member (the others, if
     *         any, were deregistered by other calls, which have finished) or the group is empty;
     *         else {@code ALREADY_DEREGISTERED}
     */
    public DeregisterResult deregisterAll() {
        boolean[] mine = new boolean[members.size()];
        for (int i = 0; i < mine.length; i++) {
            mine[i] = members.get(i).commitForGroup();
            if (mine[i]) {
                try {
                    members.get(i).shutdownUses(); // no new call into this member from now on
                } catch (IllegalStateException misuse) { // a stray release(): undo, report
                    for (int j = 0; j < i; j++) {
                        if (mine[j]) {
                            members.get(j).undoCommit();
                        }
                    }
                    throw misuse;
                }
            }
        }
        boolean any = false;
        for (int i = 0; i < mine.length; i++) {
            Registration<?> r = members.get(i);
            if (mine[i]) {
                r.awaitIdle();
                any |= r.finish() == DeregisterResult.DEREGISTERED;
            } else {
                r.awaitRemoved();
            }
        }
        return any || mine.length == 0 ? DeregisterResult.DEREGISTERED : DeregisterResult.ALREADY_DEREGISTERED;
    }

    /** Undoes a failed attempt: members [0, stopped) were stopped, [0, claimed) claimed. */
    private void undo(int claimed, int stopped) {
        for (int i = 0; i < claimed; i++) {
            members.get(i).undoTry(i < stopped);
        }
    }

    @Override
    public String toString() {
        return "RegistrationGroup" + members;
    }
}
