package dev.raceless.registry;

import dev.raceless.internal.jfr.Recorded;

import java.util.ArrayList;
import java.util.Collection;
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
 * <p><b>One report per member.</b> Every member is reported deregistered by exactly one call,
 * whatever races: its own deregistration's {@code DEREGISTERED}, or a group call that names it
 * among the members it deregistered. A group call's result says what this call did:
 * <ul>
 * <li>{@code DEREGISTERED}: this call deregistered every member (an empty group too);
 * <li>{@code PARTIAL} ({@link #deregisterAll()} only): this call deregistered some members, other
 *     calls the others; {@link #deregisterAll(Collection)} says which were this call's;
 * <li>{@code ALREADY_DEREGISTERED}: this call deregistered none (other calls owned every member,
 *     or, for {@code tryDeregisterAll}, at least one);
 * <li>{@code BUSY} ({@code tryDeregisterAll} only): nothing changed.
 * </ul>
 * The forms that take a collection add to it exactly the members this call deregistered, in the
 * order they were added to the group, as {@link java.util.concurrent.BlockingQueue#drainTo}
 * adds the elements it removed: the caller frees those and no others. A member's own
 * deregistration racing {@code tryDeregisterAll()} waits out the attempt (it never blocks) and then
 * acts on its outcome; one racing {@code deregisterAll()} either commits the member first (it then
 * reports {@code DEREGISTERED} for it, and the group does not name it) or finds it committed by the
 * group (it reports {@code ALREADY_DEREGISTERED}, and the group names it).
 *
 * <p><b>Not guaranteed.</b> During a {@code tryDeregisterAll()} that ends {@code BUSY}, calls into
 * members it had already checked may have found them briefly absent (the 2002 "raceless module
 * interface" discussion accepts that the module "could briefly disappear").
 *
 * <p><b>Misuse.</b> A {@link Registration#release()} without a call on a member is found as by
 * {@link Registration}: {@code tryDeregisterAll()} repairs that member's count, undoes its
 * attempt on every member and throws {@link IllegalStateException}; {@code deregisterAll()} is
 * committed, so it repairs, logs and finishes.
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
     * tryDeregisterAll: claim every member with EXCLUSIVE (a claim nobody can take over, unlike a
     * try's TRYING; a member's blocking call waits for the attempt's end), then UseCount.tryShutdownAll over every
     * member's count: all LIVE -> TRYING, one heavy barrier for the whole group (the ASYMMETRIC
     * read side's membarrier, paid once, not once per member), one count each. A busy member makes
     * the attempt fail: every count is LIVE again (one a racing last release ended is reopened: a
     * new life, exactly as before but for the instant in between), claims are released. If all
     * were idle, every member is DEAD at once and each is finished
     * (EXCLUSIVE -> DONE, removed from its registry). Because no EXCLUSIVE claim can be taken over,
     * finishing cannot fail, and no member's own call can report DEREGISTERED as well (a TRYING
     * claim would not do: a member's deregister() could take it over and finish the member
     * first, and both would report it). A member can
     * never be both removed and callable: removal happens only after all members are DEAD, and a
     * DEAD member is reopened only on the failure path, where nothing is removed.
     *
     * deregisterAll: commit every member it can (COMMITTED, taking over TRYING owners), shut each
     * down, then wait for each and finish it; members committed by other calls are waited for.
     * Exactly one report per member: a member this call committed is finished by this call's CAS
     * COMMITTED -> DONE, which cannot fail (COMMITTED is never taken over, UnloadClaim
     * invariant 4), and nobody else reports it (a try owner it took over reports
     * ALREADY_DEREGISTERED, UnloadClaim invariant 3); a member it could not commit is owned by
     * another call, which reports it. So the members this call names are exactly the members it
     * committed, and DEREGISTERED / PARTIAL / ALREADY_DEREGISTERED follow from how many those are.
     * Nothing is ever undone: other callers may already wait for a committed member's removal.
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
     * @param <T> the service type of the registration
     * @param registration the registration to add
     * @return {@code registration}
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

    /** {@return the members, in the order added (a copy)} */
    public List<Registration<?>> members() {
        return List.copyOf(members);
    }

    /**
     * Deregisters every member if none has a call in flight; never blocks. All or nothing: this
     * call deregistered every member ({@code DEREGISTERED}) or none (anything else).
     *
     * @return {@code DEREGISTERED} if this call deregistered every member (an empty group too);
     *         {@code BUSY} if it changed nothing (a member had a call in flight, or another
     *         attempt was in progress on a member); {@code ALREADY_DEREGISTERED} if some member was
     *         already deregistered (or committed to it) by another call, in which case this call
     *         changed nothing
     * @throws IllegalStateException if a member's count shows a {@link Registration#release()}
     *         without a call; that count is repaired and the group left as it was
     */
    public DeregisterResult tryDeregisterAll() {
        return Recorded.deregistration(this, "tryDeregisterAll", this::tryDeregisterAllNow);
    }

    /**
     * {@link #tryDeregisterAll()}, adding to {@code deregistered} the members this call
     * deregistered: every member on {@code DEREGISTERED}, none otherwise.
     *
     * @param deregistered receives the members this call deregistered, in the order added
     * @return as {@link #tryDeregisterAll()}
     * @throws IllegalStateException as {@link #tryDeregisterAll()}
     */
    public DeregisterResult tryDeregisterAll(Collection<? super Registration<?>> deregistered) {
        Objects.requireNonNull(deregistered, "deregistered");
        DeregisterResult r = tryDeregisterAll();
        if (r == DeregisterResult.DEREGISTERED) {
            deregistered.addAll(members);
        }
        return r;
    }

    private DeregisterResult tryDeregisterAllNow() {
        int n = members.size();
        for (int claimed = 0; claimed < n; claimed++) {
            if (!members.get(claimed).claimForGroup()) {
                DeregisterResult why = members.get(claimed).isTakenByOther()
                        ? DeregisterResult.ALREADY_DEREGISTERED : DeregisterResult.BUSY;
                undo(claimed, 0);
                return why;
            }
        }
        boolean ok;
        try {
            ok = Registration.tryStopAll(members); // one heavy barrier for the whole group
        } catch (IllegalStateException misuse) { // the corrupted member is repaired; every count LIVE
            undo(n, 0);
            throw misuse;
        }
        if (!ok) { // every count LIVE, as it was (UseCount.tryShutdownAll): nothing to reopen
            undo(n, 0);
            return DeregisterResult.BUSY;
        }
        for (Registration<?> r : members) { // all DEAD and all ours: remove every one
            r.finishGroup();
        }
        return DeregisterResult.DEREGISTERED;
    }

    /**
     * Refuses new calls into every member at once, then waits for the calls in flight into all of
     * them to finish, then removes them all. Waits uninterruptibly; the interrupt status is kept.
     * Every member is deregistered on return, by this call or by another; to learn which were this
     * call's, use {@link #deregisterAll(Collection)}.
     *
     * @return {@code DEREGISTERED} if this call deregistered every member (an empty group too);
     *         {@code PARTIAL} if it deregistered some and other calls the others (it waited for
     *         them to finish); {@code ALREADY_DEREGISTERED} if other calls deregistered every
     *         member and this call none
     */
    public DeregisterResult deregisterAll() {
        return Recorded.deregistration(this, "deregisterAll", () -> deregisterAllNow(null));
    }

    /**
     * {@link #deregisterAll()}, adding to {@code deregistered} exactly the members this call
     * deregistered (in the order added): every member on {@code DEREGISTERED}, some on
     * {@code PARTIAL}, none on {@code ALREADY_DEREGISTERED}. Each member is named by exactly one
     * call: this one, or its own deregistration that reported {@code DEREGISTERED}, or another
     * group call that named it.
     *
     * @param deregistered receives the members this call deregistered
     * @return as {@link #deregisterAll()}
     */
    public DeregisterResult deregisterAll(Collection<? super Registration<?>> deregistered) {
        Objects.requireNonNull(deregistered, "deregistered");
        return Recorded.deregistration(this, "deregisterAll", () -> deregisterAllNow(deregistered));
    }

    private DeregisterResult deregisterAllNow(Collection<? super Registration<?>> deregistered) {
        boolean[] mine = new boolean[members.size()];
        for (int i = 0; i < mine.length; i++) {
            mine[i] = members.get(i).commitForGroup();
            if (mine[i]) {
                members.get(i).shutdownForGroup(); // no new call into this member from now on
            }
        }
        int done = 0;
        for (int i = 0; i < mine.length; i++) {
            Registration<?> r = members.get(i);
            if (mine[i] && r.finishCommitted() == DeregisterResult.DEREGISTERED) { // always, see the notes
                done++;
                if (deregistered != null) {
                    deregistered.add(r);
                }
            } else {
                r.awaitRemoved();
            }
        }
        return done == mine.length ? DeregisterResult.DEREGISTERED
                : done == 0 ? DeregisterResult.ALREADY_DEREGISTERED : DeregisterResult.PARTIAL;
    }

    /** Undoes a failed attempt: members [0, stopped) were stopped, [0, claimed) claimed. */
    private void undo(int claimed, int stopped) {
        for (int i = 0; i < claimed; i++) {
            members.get(i).undoGroup(i < stopped);
        }
    }

    @Override
    public String toString() {
        return "RegistrationGroup" + members;
    }
}
