package dev.raceless.bench.loader;

import dev.raceless.registry.DeregisterResult;
import dev.raceless.registry.Registration;
import dev.raceless.registry.Registry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * How long does taking a service back out of a {@link Registry} take, from the call to a
 * {@code DEREGISTERED} result, for each way a module can deregister?
 *
 * <p>Every op deregisters a fresh registration made by {@code @Setup(Level.Invocation)}, which is
 * not timed, in a registry that also holds {@link #OTHERS} services that stay, so the final
 * removal copies a five-element array as a registry in use would. What each op includes:
 *
 * <ul>
 * <li>{@code tryDeregister}: no call in flight. The claim CAS, {@code UseCount.tryShutdown()}
 *     (which sums every stripe to prove the count is zero), the removal (copy-on-write array CAS)
 *     and completing the registration's internal future. Never blocks.</li>
 * <li>{@code deregister}: no call in flight. The claim, {@code shutdown()} (straight to DEAD: no
 *     use held), a join on the termination future that is already complete (it does not park;
 *     it allocates the future's copy), the removal.</li>
 * <li>{@code deregisterAsyncIdle}: no call in flight, so the returned future is complete when
 *     {@code deregisterAsync()} returns (completed on this thread); the op joins it. Like
 *     {@code deregister} plus the dependent future.</li>
 * <li>{@code deregisterAsyncInFlight}: one call in flight, held by a holder thread (a daemon
 *     started for the trial) that spins on {@code isRegistered()} and ends its call as soon as it
 *     sees the deregistration begin. The op is {@code deregisterAsync()} then {@code join()}: it
 *     includes the cache-line round trip to the holder, the holder's release completing the
 *     future on the holder's thread (removal included) and, when the join has parked by then,
 *     the wake-up of this thread. This is the completion latency of an asynchronous
 *     deregistration whose last call ends promptly; a real call ends whenever it ends.</li>
 * </ul>
 *
 * <p>Each method returns the result (always {@code DEREGISTERED}; the trial checks that every
 * registration was removed). {@code @Setup(Level.Invocation)} adds timer overhead to each sample
 * (JMH warns of it for short methods); the idle variants last a few hundred ns, so read them as
 * upper bounds. B/op includes the untimed registration made for each op (a Registration, its
 * UseCount's stripe array, futures, the copied array): it is not 0 and is not meant to be.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(1)
@Threads(1) // by design: the holder is a thread of its own, not a JMH worker
public class DeregistrationLatencyBenchmark {

    /** Services that stay registered throughout. */
    static final int OTHERS = 4;

    static final Object SERVICE = new Object();

    /** A registry with {@link #OTHERS} services and one fresh registration per op. */
    @State(Scope.Thread)
    public static class Idle {
        Registry<Object> registry;
        Registration<Object> next;

        @Setup(Level.Trial)
        public void setUp() {
            registry = new Registry<>();
            for (int i = 0; i < OTHERS; i++) {
                registry.register(new Object());
            }
        }

        /** Not timed: the registration the op takes back. */
        @Setup(Level.Invocation)
        public void register() {
            next = registry.register(SERVICE);
        }

        @TearDown(Level.Trial)
        public void checkRemoved() {
            if (registry.size() != OTHERS) {
                throw new IllegalStateException("a deregistration did not remove its registration: " + registry);
            }
        }
    }

    /** As {@link Idle}, with a holder thread that has a call in flight when each op starts. */
    @State(Scope.Thread)
    public static class InFlight {
        Registry<Object> registry;
        /** The registration of the current round; written before roundsAsked (volatile). */
        Registration<Object> next;
        Thread holder;
        /** Rounds asked for by the benchmark thread; the holder begins a call once per round. */
        volatile long roundsAsked;
        /** Rounds in which the holder's call is in flight. */
        volatile long roundsHeld;
        volatile boolean stop;
        volatile Throwable holderFailure;

        @Setup(Level.Trial)
        public void startHolder() {
            registry = new Registry<>();
            for (int i = 0; i < OTHERS; i++) {
                registry.register(new Object());
            }
            holder = new Thread(this::holderLoop, "call-holder");
            holder.setDaemon(true);
            holder.start();
        }

        private void holderLoop() {
            try {
                long done = 0;
                while (!stop) {
                    if (roundsAsked == done) {
                        Thread.onSpinWait();
                        continue;
                    }
                    Registration<Object> r = next;
                    if (!r.tryAcquire()) {
                        throw new IllegalStateException("a fresh registration refused a call: " + r);
                    }
                    roundsHeld = ++done;
                    while (r.isRegistered()) { // the deregistration being timed
                        Thread.onSpinWait();
                    }
                    r.release(); // the last call ends: completes the op's future on this thread
                }
            } catch (Throwable t) {
                holderFailure = t;
            }
        }

        /** Not timed: a fresh registration, with the holder's call in flight. */
        @Setup(Level.Invocation)
        public void registerAndCall() {
            next = registry.register(SERVICE);
            long round = roundsAsked + 1;
            roundsAsked = round;
            while (roundsHeld != round) {
                if (holderFailure != null) {
                    throw new IllegalStateException("holder failed", holderFailure);
                }
                Thread.onSpinWait();
            }
        }

        @TearDown(Level.Trial)
        public void stopHolder() throws InterruptedException {
            stop = true;
            holder.join(10_000);
            if (holderFailure != null) {
                throw new IllegalStateException("holder failed", holderFailure);
            }
            if (registry.size() != OTHERS) {
                throw new IllegalStateException("a deregistration did not remove its registration: " + registry);
            }
        }
    }

    @Benchmark
    public DeregisterResult tryDeregister(Idle s) {
        return s.next.tryDeregister();
    }

    @Benchmark
    public DeregisterResult deregister(Idle s) {
        return s.next.deregister();
    }

    @Benchmark
    public DeregisterResult deregisterAsyncIdle(Idle s) {
        return s.next.deregisterAsync().join();
    }

    @Benchmark
    public DeregisterResult deregisterAsyncInFlight(InFlight s) {
        return s.next.deregisterAsync().join();
    }

    /*
     * How to run (from the top of the repository):
     *
     *   mvn -B -q -pl primitives,jmh-benchmarks -am -DskipTests package
     *   java -jar jmh-benchmarks/target/benchmarks.jar DeregistrationLatencyBenchmark -prof gc \
     *        -rf json -rff deregistration-latency.json
     *
     * Quick look: add -wi 3 -w 1s -i 5 -r 1s -f 1. Do not pass -t: the ops are timed one at a
     * time and the holder is a thread of its own. Read p0.50 and p0.99; the idle variants are
     * near the timer's resolution, so compare them with each other, not with ns-scale benchmarks.
     */
}
