package dev.raceless.registry;

import dev.raceless.internal.VarHandles;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Services registered by modules, called by a subsystem on its hot path with no lock and no
 * allocation, and deregistered without races.
 *
 * <p><b>Calling.</b> {@link #forEach(Consumer)} calls every registered service, each inside a use
 * of its {@link Registration} (a {@link dev.raceless.refcount.UseCount}); a registration being
 * deregistered is skipped. {@link #acquireFirst(Predicate)} takes one registration for a call that
 * the caller ends with {@link Registration#release()}.
 *
 * <p><b>Deregistering.</b> See {@link Registration}: once a deregistration has succeeded no call
 * into the service is running and none can start, so the module may free what the service uses.
 *
 * <p><b>Progress.</b> {@code forEach} and {@code acquireFirst} are lock-free (wait-free per
 * registration) and allocate nothing. {@code register} and the final removal of a registration
 * copy the registration array (copy-on-write), so they are O(n) and allocate.
 *
 * <p><b>Memory consistency effects.</b> Actions prior to {@code register(service)} happen-before
 * every call of that service through this registry. Actions in a call happen-before a
 * deregistration of the service reports {@link DeregisterResult#DEREGISTERED} (jcstress
 * {@code CallVsTryDeregister}).
 *
 * <p><b>Sample usage.</b>
 * <pre> {@code
 * Registry<PacketFilter> filters = new Registry<>();
 *
 * // module
 * Registration<PacketFilter> mine = filters.register(new MyFilter());
 * ...
 * if (mine.tryDeregister() == DeregisterResult.BUSY)
 *   return false;                          // busy: nothing changed, try again later
 *
 * // subsystem hot path
 * filters.forEach(f -> f.inspect(packet));
 * }</pre>
 *
 * @param <T> the service type
 */
public final class Registry<T> {
    /*
     * Implementation notes.
     *
     * The registrations are a copy-on-write array (volatile reference, CAS to replace), read once
     * per forEach. A registration stays in the array while it is being deregistered; its UseCount
     * refuses new calls, so readers skip it. It leaves the array when its count is DEAD (no call
     * running, none can start). Readers that read the array before the removal still hold the
     * registration, but its tryAcquire fails: the array is only a directory, the UseCount is
     * the guard.
     *
     * Rejected: a GraceDomain for the whole registry (a reader section around forEach, synchronize
     * on deregistration). It gives no all-or-nothing tryDeregister: trySynchronize is busy whenever
     * any service of the registry is in a call, not just the one being deregistered.
     */

    @SuppressWarnings("rawtypes")
    private static final Registration[] EMPTY = new Registration[0];

    @SuppressWarnings("unchecked")
    private volatile Registration<T>[] registrations = EMPTY;

    /** Creates an empty registry. */
    public Registry() {
    }

    /**
     * Registers {@code service}: it is called by this registry from now on, until deregistered.
     *
     * @param service the service to register
     * @return the registration, through which the module deregisters the service
     */
    public Registration<T> register(T service) {
        Registration<T> r = new Registration<>(this, Objects.requireNonNull(service, "service"));
        for (;;) {
            Registration<T>[] cur = registrations;
            Registration<T>[] next = Arrays.copyOf(cur, cur.length + 1);
            next[cur.length] = r;
            if (REGISTRATIONS.compareAndSet(this, cur, next)) {
                return r;
            }
        }
    }

    /**
     * Calls {@code action} with every registered service that is not being deregistered, each
     * under a use of its registration. Lock-free; allocates nothing. If {@code action} throws, the
     * use is released and the exception propagates (the remaining services are not called).
     *
     * @param action the action to call with each service
     */
    public void forEach(Consumer<? super T> action) {
        Objects.requireNonNull(action, "action");
        for (Registration<T> r : registrations) {
            if (r.tryAcquire()) {
                try {
                    action.accept(r.service());
                } finally {
                    r.release();
                }
            }
        }
    }

    /**
     * Takes a use of the first registered service that {@code filter} accepts, for one call. The
     * caller must end the call with {@link Registration#release()} (or {@code close()}, so that
     * {@code try (Registration<T> r = registry.acquireFirst(f)) { if (r != null) ... }} works: a
     * {@code null} resource is skipped). Lock-free; allocates nothing.
     *
     * @param filter tests each service in turn, under a use of its registration
     * @return the registration, with a use held; {@code null} if no service qualifies
     */
    public Registration<T> acquireFirst(Predicate<? super T> filter) {
        Objects.requireNonNull(filter, "filter");
        for (Registration<T> r : registrations) {
            if (r.tryAcquire()) {
                if (filter.test(r.service())) {
                    return r;
                }
                r.release();
            }
        }
        return null;
    }

    /** {@return the registrations not yet removed (including ones being deregistered), as a snapshot} */
    public List<Registration<T>> registrations() {
        return List.of(registrations);
    }

    /** {@return the number of registrations not yet removed} */
    public int size() {
        return registrations.length;
    }

    /** Removes {@code r} from the array once its count is DEAD. Idempotent. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void remove(Registration<T> r) {
        for (;;) {
            Registration<T>[] cur = registrations;
            int i = indexOf(cur, r);
            if (i < 0) {
                return;
            }
            Registration<T>[] next = cur.length == 1 ? EMPTY : new Registration[cur.length - 1];
            System.arraycopy(cur, 0, next, 0, i);
            System.arraycopy(cur, i + 1, next, i, cur.length - i - 1);
            if (REGISTRATIONS.compareAndSet(this, cur, next)) {
                return;
            }
        }
    }

    private static int indexOf(Object[] a, Object o) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == o) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "Registry[" + registrations.length + " registrations]";
    }

    // VarHandle mechanics
    private static final VarHandle REGISTRATIONS =
            VarHandles.field(MethodHandles.lookup(), "registrations", Registration[].class);
}
