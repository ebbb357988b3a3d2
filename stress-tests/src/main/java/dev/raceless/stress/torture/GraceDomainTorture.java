package dev.raceless.stress.torture;

import dev.raceless.grace.GraceDomain;
import dev.raceless.stress.harness.Run;
import dev.raceless.stress.harness.Scenario;
import dev.raceless.stress.torture.AgePipe.Node;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * GraceDomain readers against updaters that replace and free the published object, rcutorture's
 * "pipe" check included. Each object carries an <em>age</em>: 0 while published, 1 once unpublished,
 * 2 once a grace period has completed after that, 3 once freed. A reader inside a section may see
 * age 0 or 1; age 2 or more means a whole grace period ran while the reader held the object (the
 * guarantee broke). The ages readers saw are counted ({@code grace reader saw age N}).
 *
 * <p>Readers: two platform threads through their {@code GraceDomain.Local}, one through the
 * domain itself that sometimes parks inside its section (readers may block), one that hands its
 * open section to an exiter thread (a section ended on another thread), and on JDK 21+ one virtual
 * thread. Updaters: one that alternates {@code synchronize()}, {@code trySynchronize()} retries
 * and timed {@code synchronize} with tiny timeouts; one that frees through {@code callAfterGrace}
 * and now and then waits in {@code barrier()}.
 *
 * <p>Errors: an age of 2 or more inside a section; a stall report while no stall was injected; no
 * grace period completed for more than a second while no stall is injected (forward progress); a
 * deferred free that has not run when a later {@code barrier()} returns. Faults: a reader that holds its section for
 * one and a half stall thresholds (the domain must report the stall, once, and the grace period
 * must then complete); tiny timeouts.
 */
public final class GraceDomainTorture implements Scenario {
    private final GraceDomain domain = new GraceDomain("torture", (a, e) -> { });
    private final AgePipe pipe = new AgePipe("grace");
    private final BlockingQueue<Object[]> handedOver = new ArrayBlockingQueue<>(64);
    private volatile boolean handOverDone;

    @Override
    public String name() {
        return "GraceDomainTorture";
    }

    @Override
    public List<Thread> threads(Run t) {
        domain.reportStalls(t.stallNanos(), TimeUnit.NANOSECONDS, report -> {
            if (pipe.stallInjected) {
                t.fault("stall reported");
            } else {
                t.error("stall nobody injected", report);
            }
        });
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            threads.add(new Thread(() -> localReader(t, "local reader"), "torture-grace-local-reader-" + i));
        }
        threads.add(new Thread(() -> blockingReader(t), "torture-grace-blocking-reader"));
        threads.add(new Thread(() -> handOverReader(t), "torture-grace-handover-reader"));
        threads.add(new Thread(() -> exiter(t), "torture-grace-exiter"));
        threads.add(new Thread(() -> synchronizer(t), "torture-grace-synchronizer"));
        threads.add(new Thread(() -> deferrer(t), "torture-grace-deferrer"));
        threads.add(new Thread(() -> pipe.monitorProgress(t, domain::gracePeriodsCompleted, domain),
                "torture-grace-progress"));
        Thread virtual = unstartedVirtual(() -> localReader(t, "virtual reader"));
        if (virtual != null) {
            threads.add(virtual);
        }
        return threads;
    }

    /** Reads the published object inside a section and checks its age; returns it. */
    private Node readChecked(Run t, String who) {
        Node n = pipe.published();
        int age = n.age;
        t.op("grace reader saw age " + age);
        if (age >= 2) {
            t.error("grace period ran under a reader", who + " saw age " + age + " inside its section");
        }
        return n;
    }

    private void recheck(Run t, Node n, String who) {
        int age = n.age;
        if (age >= 2) {
            t.error("grace period ran under a reader", who + " saw age " + age + " at the end of its section");
        }
    }

    private void localReader(Run t, String who) {
        GraceDomain.Local local = domain.local();
        while (t.running()) {
            int token = local.enter();
            Node n = readChecked(t, who);
            for (int i = ThreadLocalRandom.current().nextInt(32); i > 0; i--) {
                Thread.onSpinWait();
            }
            recheck(t, n, who);
            local.exit(token);
            t.op("grace section");
        }
    }

    private void blockingReader(Run t) {
        long round = 0;
        long nextStallAt = System.nanoTime() + 5 * t.stallNanos();
        while (t.running()) {
            round++;
            int token = domain.enter();
            Node n = readChecked(t, "blocking reader");
            boolean stalled = System.nanoTime() - nextStallAt > 0;
            if (stalled) { // fault: hold the section past the stall threshold
                nextStallAt = System.nanoTime() + 10 * t.stallNanos();
                pipe.stallInjected = true;
                t.fault("reader held its section past the stall threshold");
                LockSupport.parkNanos(t.stallNanos() + t.stallNanos() / 2);
            } else if (round % 16 == 0) {
                LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(50_000)); // readers may block
            }
            recheck(t, n, "blocking reader");
            domain.exit(token);
            if (stalled) {
                pipe.endInjectedStall(domain::synchronize);
            }
            t.op("grace section");
        }
    }

    private void handOverReader(Run t) {
        try {
            handOver(t);
        } finally {
            handOverDone = true; // after its last offer: the exiter drains the queue, then stops
        }
    }

    private void handOver(Run t) {
        while (t.running()) {
            int token = domain.enter();
            Node n = readChecked(t, "hand-over reader");
            try {
                if (!handedOver.offer(new Object[] {token, n}, 1, TimeUnit.SECONDS)) {
                    domain.exit(token); // the exiter is gone (end of run)
                }
            } catch (InterruptedException e) {
                domain.exit(token);
                return;
            }
        }
    }

    private void exiter(Run t) {
        while (!handOverDone || !handedOver.isEmpty()) {
            Object[] handed;
            try {
                handed = handedOver.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (handed != null) {
                recheck(t, (Node) handed[1], "exiter");
                domain.exit((Integer) handed[0]); // a section ended on another thread
                t.op("grace section ended on another thread");
            }
        }
    }

    private void synchronizer(Run t) {
        pipe.synchronizeAndFree(t, 0, random -> {
            domain.synchronize();
            return "grace synchronize";
        }, random -> { // no progress guarantee: retried until a moment with no section open
            while (!domain.trySynchronize()) {
                t.op("grace trySynchronize false");
                Thread.onSpinWait();
            }
            return "grace trySynchronize until true";
        }, random -> {
            while (!domain.synchronize(random.nextInt(20), TimeUnit.MICROSECONDS)) {
                t.fault("tiny synchronize timeout");
            }
            return "grace timed synchronize until true";
        });
    }

    private void deferrer(Run t) {
        pipe.deferFrees(t, domain::callAfterGrace, domain::barrier);
        domain.barrier();
    }

    /** A virtual thread (JDK 21+, reached reflectively: this module compiles for release 17), or null. */
    private static Thread unstartedVirtual(Runnable body) {
        if (Runtime.version().feature() < 21) {
            return null;
        }
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Method name = Class.forName("java.lang.Thread$Builder").getMethod("name", String.class);
            builder = name.invoke(builder, "torture-grace-virtual-reader");
            Method unstarted = Class.forName("java.lang.Thread$Builder").getMethod("unstarted", Runnable.class);
            return (Thread) unstarted.invoke(builder, body);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Thread.ofVirtual() on JDK " + Runtime.version(), e);
        }
    }
}
