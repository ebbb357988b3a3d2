package dev.raceless.stress.quiescent;

import dev.raceless.grace.QuiescentDomain;

import java.lang.reflect.Constructor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

/**
 * The state and steps of the wake-up litmus tests (Mode.Termination), written once: two reader
 * threads of the state's own, registered with the test's domain and online before the updater
 * starts, and the updater's grace period, which waits for both.
 *
 * <p>The early reader reports quiescent states from a delay after the updater starts, drawn
 * afresh for each state over sixteen octaves (from nothing to about a millisecond of
 * {@code onSpinWait}), so that its report may land while the updater spins, while it marks its
 * readers and rescans, or after it parked. It repeats them until the grace period returns: a
 * quiescent state before the grace period begins passes nothing, and only the first one after it
 * stores and claims (the others are a load and a compare), so the repeats cannot cover a lost
 * wake-up. The late reader goes offline after the signal, which jcstress sends a millisecond or
 * more after the updater started. Both unregister only after the grace period returned.
 *
 * <p>jcstress runs a Termination test on the one CPU it allocates for the actor (its default
 * LOCAL affinity pins the fork), so these threads take turns: the reports land after the updater
 * parked, in either order, or wherever preemption puts them.
 */
abstract class WakeRace {
    /** The early report's delay is drawn below 2^k onSpinWait, k uniform in 0..MAX_DELAY_LOG. */
    private static final int MAX_DELAY_LOG = 15;

    private final QuiescentDomain domain;
    private final int delay;
    private final Thread early;
    private final Thread late;
    /** The updater's thread, set before it begins. */
    private volatile Thread updater;
    /** The updater has begun: the early reader's delay counts from here. */
    private volatile boolean started;
    /** The signal has come: the late reader reports. */
    private volatile boolean released;
    /** The grace period has returned: the readers leave. */
    private volatile boolean finished;
    private volatile Throwable failure;

    /** Starts both readers on {@code domain} and returns once they are online. */
    WakeRace(QuiescentDomain domain) {
        this.domain = domain;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        delay = random.nextInt(1 << random.nextInt(MAX_DELAY_LOG + 1));
        CountDownLatch online = new CountDownLatch(2);
        early = reader("early", online);
        late = reader("late", online);
        try {
            online.await();
        } catch (InterruptedException e) { // jcstress never interrupts its control thread
            throw new AssertionError(e);
        }
    }

    /**
     * The late reader's one report, on its thread: offline(). Runs on the reader's thread only, so
     * a subclass's own fields are not involved (this class's constructor starts the threads).
     *
     * @return true; false if the reader's thread is to end at once, online (a broken twin)
     */
    boolean lateReport(QuiescentDomain.Reader reader) {
        reader.offline();
        return true;
    }

    /** The updater (the test's actor): a grace period, then lets the readers leave and joins them. */
    final void runUpdater() {
        updater = Thread.currentThread();
        started = true;
        domain.synchronize();
        finished = true;
        LockSupport.unpark(early);
        LockSupport.unpark(late);
        try {
            early.join();
            late.join();
        } catch (InterruptedException e) { // jcstress never interrupts an actor
            throw new AssertionError(e);
        }
        if (failure != null) {
            throw new IllegalStateException("a reader failed", failure); // ERROR
        }
    }

    /**
     * Returns once the updater is parked in the domain's wait (its park blocker is the domain), on
     * a reader's thread. The updater cannot return before the late reader reports, so this ends.
     */
    final void awaitUpdaterParked() {
        Thread u;
        while ((u = updater) == null || LockSupport.getBlocker(u) != domain) {
            Thread.yield(); // one CPU: let the updater run
        }
    }

    /** The test's signal: the late reader reports. */
    final void release() {
        released = true;
        LockSupport.unpark(late);
    }

    private Thread reader(String name, CountDownLatch online) {
        boolean isEarly = name.equals("early");
        Thread t = new Thread(() -> {
            try {
                QuiescentDomain.Reader reader;
                try {
                    reader = domain.register(); // online
                } finally {
                    online.countDown();
                }
                if (isEarly) {
                    while (!started) {
                        Thread.onSpinWait();
                    }
                    for (int i = 0; i < delay; i++) {
                        Thread.onSpinWait();
                    }
                    while (!finished) {
                        reader.quiescent();
                        Thread.yield(); // the updater and the late reader may need the CPU
                    }
                } else {
                    while (!released) {
                        LockSupport.park(this);
                    }
                    if (!lateReport(reader)) {
                        return;
                    }
                }
                while (!finished) {
                    LockSupport.park(this);
                }
                reader.unregister();
            } catch (Throwable e) {
                failure = e;
            }
        }, "wake-race-" + name);
        t.setDaemon(true); // a lost wake-up leaves it parked; jcstress ends the fork
        t.start();
        return t;
    }

    /**
     * A domain whose parked grace periods rescan only when a reader's claim wakes them: its
     * package-private test constructor, reached by reflection (the harness runs on the class
     * path), and a stall threshold of a day, since the park that waits for a stall report ends
     * in a rescan too. With either, a missed wake-up costs a rescan; without both it parks
     * forever, which jcstress reports as STALE (after 30 s).
     */
    static QuiescentDomain withoutTimedRescans(String name) {
        QuiescentDomain d;
        try {
            Constructor<QuiescentDomain> c = QuiescentDomain.class.getDeclaredConstructor(String.class,
                    BiConsumer.class, boolean.class);
            c.setAccessible(true);
            BiConsumer<Runnable, Throwable> ignore = (action, error) -> { };
            d = c.newInstance(name, ignore, false);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        d.reportStalls(1, TimeUnit.DAYS, report -> { });
        return d;
    }
}
