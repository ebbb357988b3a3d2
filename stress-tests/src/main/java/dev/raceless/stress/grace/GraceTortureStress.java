package dev.raceless.stress.grace;

import dev.raceless.grace.GraceDomain;
import dev.raceless.stress.harness.Budget;
import dev.raceless.stress.harness.Scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * rcutorture for GraceDomain: a plain-thread stress harness where reader threads, in sections,
 * use a published object and check that it was not freed, while updaters keep replacing it and
 * freeing the old one after a grace period. Each updater {@link Mode} is one bounded
 * {@link Scenario} of {@code StressMain --check}, and so is a deliberately broken mode that it must
 * catch (a harness that cannot fail proves nothing).
 *
 * <p><b>The check</b> (rcutorture's pipeline age, three buckets). Each object carries an age:
 * 0 while published, 1 once unpublished and waiting for its grace period, 2 once freed. A reader
 * records the largest age it sees at any point of its section for the object it found (age is
 * volatile, so it reads the latest); the histogram may fill buckets 0 and 1 (a reader that found
 * the object just before it was unpublished) and never bucket 2: a reader that found the object
 * began its section before the unpublish, so the grace period that precedes the free waited for
 * it. Bucket 2 is a use-after-free.
 *
 * <p><b>Readers</b> vary their sections: most are empty, some spin, yield or park inside, some
 * nest (and the inner section checks its own object), and some hand the section to a relay
 * thread, which checks the object and ends the section there. On JDK 21+ virtual-thread readers
 * park inside their sections too. With more threads than the box's 2 cores, a reader can also be
 * preempted inside enter() between reading the epoch index and counting on it, the late reader
 * of LateReaderOldEpoch for real (rarely, and not observable from outside GraceDomain).
 *
 * <p><b>Updater modes</b> ({@link Mode}): one synchronize() updater; two concurrent ones (so
 * grace periods are shared, and sharing must not short-change either); freeing through
 * callAfterGrace(); a timed-synchronize updater racing a trySynchronize() updater (failed
 * attempts leave half-done grace periods behind); and BROKEN_FREE_FIRST, which frees before it
 * synchronizes.
 *
 * <p>Bounded: each scenario stops at a round limit or a wall-clock cap, whichever comes first.
 *
 * <pre>
 * How to run (after ./mvnw -pl stress-tests -am -DskipTests package):
 *   java -cp stress-tests/target/jcstress.jar dev.raceless.stress.harness.StressMain --check --only GraceTorture
 *   --only 'GraceTorture.*broken' runs only the broken mode and reports how fast it was caught;
 *   -Draceless.stress.scale=N multiplies the cap per mode (4 s).
 * Exit status 0: no violation in a correct mode, and the broken mode was caught.
 * </pre>
 */
public final class GraceTortureStress {

    /** Who replaces the object and how the old one is freed. */
    enum Mode {
        /** One updater: unpublish, synchronize(), free. */
        SYNCHRONIZE,
        /** Two updaters doing that concurrently: their grace periods are shared. */
        TWO_SYNCHRONIZERS,
        /** One updater: unpublish, callAfterGrace(free); barrier() every few hundred rounds. */
        CALL_AFTER_GRACE,
        /** Two updaters: one retries synchronize(20 us), one retries trySynchronize(). */
        TIMED_AND_TRY,
        /** Broken on purpose: free, then synchronize(). The harness must report violations. */
        BROKEN_FREE_FIRST
    }

    /** The published object. */
    static final class Obj {
        final long serial;
        volatile int age; // 0 published, 1 unpublished, 2 freed

        Obj(long serial) {
            this.serial = serial;
        }
    }

    /** What one scenario saw. */
    static final class Result {
        long rounds;
        long sections;
        long[] ages = new long[3];
        long violations;
        String firstViolation;
        long gracePeriods;
        long millis;
        long caughtAfterMillis = -1;
        String notes = "";

        boolean ok() {
            return violations == 0;
        }

        @Override
        public String toString() {
            return String.format("%,d updater rounds, %,d sections, ages [0]=%,d [1]=%,d [2]=%,d, "
                            + "%,d grace periods, %d ms%s%s", rounds, sections, ages[0],
                    ages[1], ages[2], gracePeriods, millis, notes,
                    firstViolation == null ? "" : "; first violation: " + firstViolation);
        }
    }

    private static final int READERS = 3;
    private static final int VIRTUAL_READERS = 16;
    private static final long MAX_ROUNDS = 2_000_000;

    private final Mode mode;
    private final GraceDomain domain;
    private final AtomicReference<Obj> current = new AtomicReference<>(new Obj(0));
    private final AtomicLong serials = new AtomicLong();
    private final AtomicLong violations = new AtomicLong();
    private final AtomicReference<String> firstViolation = new AtomicReference<>();
    private final AtomicLong actionFailures = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    /** Open sections handed from readers to the relay thread, which ends them. */
    private final ArrayBlockingQueue<Handoff> relayQueue = new ArrayBlockingQueue<>(1024);
    private volatile boolean stop;
    private volatile boolean readersStopped;
    private volatile long violationAtNanos;

    private GraceTortureStress(Mode mode) {
        this.mode = mode;
        this.domain = new GraceDomain("torture-" + mode.name().toLowerCase(), (a, e) -> {
            actionFailures.incrementAndGet();
            e.printStackTrace();
        });
    }

    // ---------------------------------------------------------------- readers

    /** Checks one object seen inside a section; returns the age seen. */
    private int check(Obj o, String where) {
        int age = o.age;
        if (age == 2) {
            if (violations.getAndIncrement() == 0) {
                violationAtNanos = System.nanoTime();
                firstViolation.compareAndSet(null, "object #" + o.serial + " seen freed " + where + " on "
                        + Thread.currentThread().getName());
            }
        }
        return age;
    }

    private void readerLoop(long[] ages, long[] sections, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        while (!stop) {
            int t = domain.enter();
            Obj o = current.get();
            int max = check(o, "at once");
            int shape = rnd.nextInt(100);
            if (shape < 55) {
                // empty section
            } else if (shape < 75) {
                for (int i = rnd.nextInt(64); i >= 0; i--) {
                    Thread.onSpinWait();
                }
                max = Math.max(max, check(o, "after spinning"));
            } else if (shape < 85) {
                int inner = domain.enter();
                Obj o2 = current.get();
                int a2 = check(o2, "in a nested section");
                Thread.yield();
                a2 = Math.max(a2, check(o2, "in a nested section after yielding"));
                ages[a2]++;
                sections[0]++;
                domain.exit(inner);
                max = Math.max(max, check(o, "after a nested section"));
            } else if (shape < 95) {
                Thread.yield();
                max = Math.max(max, check(o, "after yielding"));
            } else if (shape < 98) {
                LockSupport.parkNanos(20_000);
                max = Math.max(max, check(o, "after parking"));
            } else if (relay(t, o)) {
                continue; // the relay checks the object again, counts and ends this section
            }
            max = Math.max(max, check(o, "at exit"));
            ages[max]++;
            sections[0]++;
            domain.exit(t);
        }
    }

    /** An open section in transit: its token and the object its reader found. */
    private record Handoff(int token, Obj obj) {
    }

    /** Hands an open section to the relay thread; false if its queue is full. */
    private boolean relay(int token, Obj o) {
        return relayQueue.offer(new Handoff(token, o));
    }

    private void relayLoop(long[] ages, long[] sections) {
        for (;;) {
            Handoff h = relayQueue.poll();
            if (h == null) {
                if (readersStopped) {
                    return; // every reader has ended: nothing more can arrive
                }
                LockSupport.parkNanos(10_000);
                continue;
            }
            ages[check(h.obj(), "on the relay thread")]++;
            sections[0]++;
            domain.exit(h.token());
        }
    }

    // ---------------------------------------------------------------- updaters

    private Obj unpublish() {
        Obj old = current.getAndSet(new Obj(serials.incrementAndGet()));
        old.age = 1;
        return old;
    }

    private long updaterLoop(int which, long deadline) throws InterruptedException {
        long rounds = 0;
        long failures = 0;
        while (rounds < MAX_ROUNDS && System.nanoTime() - deadline < 0) {
            if (mode == Mode.BROKEN_FREE_FIRST && violations.get() > 0) {
                break; // caught: that is all this mode has to show
            }
            Obj old = unpublish();
            switch (mode) {
                case SYNCHRONIZE, TWO_SYNCHRONIZERS -> {
                    domain.synchronize();
                    old.age = 2;
                }
                case CALL_AFTER_GRACE -> {
                    domain.callAfterGrace(() -> old.age = 2);
                    if ((rounds & 255) == 255) {
                        domain.barrier(); // bounds the queue
                    }
                }
                case TIMED_AND_TRY -> {
                    if (which == 0) {
                        while (!domain.trySynchronize(20, TimeUnit.MICROSECONDS)) {
                            failures++;
                        }
                    } else {
                        int tries = 0;
                        while (!domain.trySynchronize()) {
                            failures++;
                            if (++tries == 1000) {
                                domain.synchronize();
                                break;
                            }
                            Thread.yield();
                        }
                    }
                    old.age = 2;
                }
                case BROKEN_FREE_FIRST -> {
                    old.age = 2; // the bug: freed while readers may still hold it
                    domain.synchronize();
                }
                default -> throw new AssertionError(mode);
            }
            rounds++;
        }
        if (mode == Mode.CALL_AFTER_GRACE) {
            domain.barrier();
        }
        failedAttempts.addAndGet(failures);
        return rounds;
    }

    // ---------------------------------------------------------------- a scenario

    /** Runs one torture scenario for at most {@code capMillis}. */
    static Result torture(Mode mode, long capMillis) throws InterruptedException {
        return new GraceTortureStress(mode).run(capMillis);
    }

    private Result run(long capMillis) throws InterruptedException {
        Result r = new Result();
        int updaters = mode == Mode.TWO_SYNCHRONIZERS || mode == Mode.TIMED_AND_TRY ? 2 : 1;
        long gpBefore = domain.gracePeriodsCompleted();
        List<Thread> threads = new ArrayList<>();
        List<long[]> ageArrays = new ArrayList<>();
        List<long[]> sectionCounts = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            long[] ages = new long[3];
            long[] sections = new long[1];
            ageArrays.add(ages);
            sectionCounts.add(sections);
            long seed = 0x5EED + i;
            threads.add(start("reader-" + i, () -> readerLoop(ages, sections, seed)));
        }
        long[] relayAges = new long[3];
        long[] relaySections = new long[1];
        ageArrays.add(relayAges);
        sectionCounts.add(relaySections);
        Thread relay = start("relay", () -> relayLoop(relayAges, relaySections));

        ExecutorService vts = virtualThreadsOrNull();
        List<long[]> vAges = new ArrayList<>();
        List<long[]> vSections = new ArrayList<>();
        if (vts != null) {
            for (int i = 0; i < VIRTUAL_READERS; i++) {
                long[] ages = new long[3];
                long[] sections = new long[1];
                vAges.add(ages);
                vSections.add(sections);
                vts.execute(() -> virtualReaderLoop(ages, sections));
            }
        }

        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(capMillis);
        long[] rounds = new long[updaters];
        Throwable[] failure = new Throwable[1];
        List<Thread> ups = new ArrayList<>();
        for (int u = 0; u < updaters; u++) {
            int which = u;
            ups.add(start("updater-" + u, () -> {
                try {
                    rounds[which] = updaterLoop(which, deadline);
                } catch (Throwable e) {
                    failure[0] = e;
                }
            }));
        }
        for (Thread u : ups) {
            u.join();
        }
        r.millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        stop = true;
        for (Thread t : threads) {
            t.join();
        }
        readersStopped = true;
        relay.join();
        if (vts != null) {
            vts.shutdown();
            if (!vts.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("virtual readers did not stop");
            }
            ageArrays.addAll(vAges);
            sectionCounts.addAll(vSections);
        }
        domain.close();
        if (failure[0] != null) {
            throw new IllegalStateException("an updater failed", failure[0]);
        }
        for (long x : rounds) {
            r.rounds += x;
        }
        for (long[] a : ageArrays) {
            for (int i = 0; i < 3; i++) {
                r.ages[i] += a[i];
            }
        }
        for (long[] s : sectionCounts) {
            r.sections += s[0];
        }
        r.violations = violations.get();
        r.firstViolation = firstViolation.get();
        r.gracePeriods = domain.gracePeriodsCompleted() - gpBefore;
        if (r.violations > 0) {
            r.caughtAfterMillis = TimeUnit.NANOSECONDS.toMillis(violationAtNanos - t0);
        }
        if (mode == Mode.TIMED_AND_TRY) {
            r.notes = String.format(", %,d failed timed/try attempts", failedAttempts.get());
        }
        if (vts != null) {
            r.notes += ", incl. " + VIRTUAL_READERS + " virtual-thread readers";
        }
        if (actionFailures.get() != 0) {
            r.violations += actionFailures.get();
            r.notes += ", " + actionFailures.get() + " deferred actions threw";
        }
        return r;
    }

    private void virtualReaderLoop(long[] ages, long[] sections) {
        while (!stop) {
            int t = domain.enter();
            Obj o = current.get();
            int max = check(o, "at once (virtual thread)");
            LockSupport.parkNanos(50_000); // unmounts inside the section
            max = Math.max(max, check(o, "after parking (virtual thread)"));
            ages[max]++;
            sections[0]++;
            domain.exit(t);
        }
    }

    // ---------------------------------------------------------------- scenarios

    /** How long each mode runs, before {@code -Draceless.stress.scale}. */
    static final long CAP_MILLIS = 4_000;

    /**
     * The scenarios {@code StressMain --check} runs: the broken mode first (it must be caught),
     * then each correct mode (it must show no violation). Fresh objects on each call.
     */
    public static List<Supplier<Scenario>> scenarios() {
        List<Supplier<Scenario>> all = new ArrayList<>();
        all.add(() -> bounded(Mode.BROKEN_FREE_FIRST));
        for (Mode m : new Mode[] {Mode.SYNCHRONIZE, Mode.TWO_SYNCHRONIZERS, Mode.CALL_AFTER_GRACE,
                Mode.TIMED_AND_TRY}) {
            all.add(() -> bounded(m));
        }
        return all;
    }

    private static Scenario bounded(Mode mode) {
        return Scenario.bounded("GraceTortureStress[" + mode.name().toLowerCase() + "]", () -> {
            Result r = torture(mode, (long) (CAP_MILLIS * Budget.scale()));
            if (mode != Mode.BROKEN_FREE_FIRST) {
                return new Scenario.Verdict(r.ok(), r.toString());
            }
            return r.violations > 0
                    ? Scenario.Verdict.pass(String.format("caught: %,d violations, first after %d ms, %,d updater "
                            + "rounds (broken on purpose: must be caught); first: %s", r.violations,
                            r.caughtAfterMillis, r.rounds, r.firstViolation))
                    : Scenario.Verdict.fail(String.format("NOT caught: no violation in %,d updater rounds, %,d "
                            + "sections: the harness cannot produce the use-after-free it exists for", r.rounds,
                            r.sections));
        });
    }

    // ---------------------------------------------------------------- helpers

    static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A virtual-thread-per-task executor on JDK 21+, else null (this code is release 17). */
    static ExecutorService virtualThreadsOrNull() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (NoSuchMethodException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
