package dev.raceless.stress.torture;

import dev.raceless.grace.QuiescentDomain;
import dev.raceless.grace.QuiescentExecutor;
import dev.raceless.stress.harness.Run;
import dev.raceless.stress.harness.Scenario;
import dev.raceless.stress.torture.AgePipe.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * QuiescentDomain readers in a {@link QuiescentExecutor} and on their own threads, against
 * updaters that replace and free the published object, with rcutorture's age check: 0 while
 * published, 1 once unpublished, 2 once a grace period has completed after that, 3 once freed. A
 * reader may see age 0 or 1 between two quiescent states; 2 or more is a broken guarantee.
 *
 * <p>Readers: pool tasks (no call at all: the pool reports between tasks; one task in 64 throws,
 * which ends its worker, one in 256 synchronizes from inside the pool); a platform thread that
 * reads in a loop with explicit quiescent states, goes offline around short sleeps, and now and
 * then holds its reads without reporting for twice the stall threshold (the injected stall: it must
 * be reported, naming the thread); short-lived threads that register, read, and die without
 * unregistering, online or offline. Updaters: one that alternates {@code synchronize()},
 * {@code trySynchronize()} retries and {@code trySynchronize(timeout)} with tiny timeouts; one that
 * frees through {@code callAfterGrace} and now and then waits in {@code barrier()}.
 *
 * <p>Errors: an age of 2 or more seen by a reader; a stall report while no stall was injected; an
 * injected stall that was not reported; no grace period for a second while no stall is injected;
 * a deferred free not run when a later {@code barrier()} returns.
 */
public final class QuiescentDomainTorture implements Scenario {
    private final QuiescentDomain domain = new QuiescentDomain("torture-qsbr", (a, e) -> { });
    private QuiescentExecutor pool;
    private final AgePipe pipe = new AgePipe("qsbr");
    /** Stall reports that named the stalling reader. */
    private final AtomicLong stallsNamed = new AtomicLong();

    /** What a task throws on purpose (it ends the task's worker); anything else uncaught is an error. */
    static final class InjectedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFailure() {
            super("torture: a task that throws, on purpose", null, false, false);
        }
    }

    @Override
    public String name() {
        return "QuiescentDomainTorture";
    }

    @Override
    public List<Thread> threads(Run t) {
        domain.reportStalls(t.stallNanos(), TimeUnit.NANOSECONDS, report -> {
            if (!pipe.stallInjected) {
                t.error("qsbr stall nobody injected", report);
            } else if (report.contains("torture-qsbr-stalling-reader")) {
                stallsNamed.incrementAndGet();
                t.fault("qsbr stall reported");
            } else {
                t.error("qsbr stall report does not name the stalling reader", report);
            }
        });
        pool = new QuiescentExecutor(domain, 3, 3, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(256),
                task -> {
                    Thread w = new Thread(task, "torture-qsbr-worker");
                    w.setDaemon(true);
                    w.setUncaughtExceptionHandler((th, e) -> {
                        if (!(e instanceof InjectedFailure)) {
                            t.error("qsbr uncaught exception in a worker", th.getName() + ": " + e);
                        }
                    });
                    return w;
                }, new ThreadPoolExecutor.AbortPolicy());
        List<Thread> threads = new ArrayList<>();
        threads.add(new Thread(() -> submitter(t), "torture-qsbr-submitter"));
        threads.add(new Thread(() -> stallingReader(t), "torture-qsbr-stalling-reader"));
        threads.add(new Thread(() -> dyingReaders(t), "torture-qsbr-dying-readers"));
        threads.add(new Thread(() -> synchronizer(t), "torture-qsbr-synchronizer"));
        threads.add(new Thread(() -> deferrer(t), "torture-qsbr-deferrer"));
        threads.add(new Thread(() -> pipe.monitorProgress(t, domain::gracePeriodsCompleted, domain),
                "torture-qsbr-progress"));
        return threads;
    }

    private void check(Run t, Node n, String who) {
        int age = n.age;
        t.op("qsbr reader saw age " + age);
        if (age >= 2) {
            t.error("qsbr grace period ran under a reader", who + " saw age " + age);
        }
    }

    /** A read section: read, work a little, read the same object again. */
    private void read(Run t, String who) {
        Node n = pipe.published();
        check(t, n, who);
        for (int i = ThreadLocalRandom.current().nextInt(64); i > 0; i--) {
            Thread.onSpinWait();
        }
        check(t, n, who);
    }

    private void submitter(Run t) {
        long round = 0;
        try {
            while (t.running()) {
                round++;
                long r = round;
                try {
                    pool.execute(() -> task(t, r));
                } catch (RejectedExecutionException full) {
                    LockSupport.parkNanos(50_000); // the bounded queue is full: let the pool catch up
                }
            }
        } finally {
            pool.shutdown();
            try {
                if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                    t.error("qsbr pool did not terminate", pool.toString());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void task(Run t, long round) {
        read(t, "pool task");
        t.op("qsbr pool task");
        if (round % 64 == 0) {
            t.fault("qsbr task threw (its worker ends)");
            throw new InjectedFailure();
        }
        if (round % 256 == 1) {
            Node old = pipe.unpublish();
            domain.synchronize(); // from inside the pool: the worker goes offline for the wait
            AgePipe.free(old);
            t.op("qsbr synchronize from a pool task");
        }
    }

    private void stallingReader(Run t) {
        QuiescentDomain.Reader r = domain.register();
        long nextStallAt = System.nanoTime() + 5 * t.stallNanos();
        long round = 0;
        try {
            while (t.running()) {
                round++;
                read(t, "stalling reader");
                if (System.nanoTime() - nextStallAt > 0) { // fault: hold the reads, report nothing
                    Node held = pipe.published();
                    long named = stallsNamed.get();
                    pipe.stallInjected = true;
                    t.fault("qsbr reader held its reads past the stall threshold");
                    LockSupport.parkNanos(2 * t.stallNanos());
                    check(t, held, "stalling reader after its stall");
                    if (stallsNamed.get() == named) {
                        t.error("qsbr injected stall not reported", "no stall report named the reader that "
                                + "held its reads for twice the threshold: " + domain);
                    }
                    r.quiescent();
                    pipe.endInjectedStall(domain::synchronize); // offline for the wait, as a pool task's
                    nextStallAt = System.nanoTime() + 10 * t.stallNanos();
                } else if (round % 32 == 0) {
                    r.quiescent();
                    r.offline();
                    LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(50_000));
                    r.online();
                } else {
                    r.quiescent();
                }
            }
        } finally {
            r.unregister();
        }
    }

    private void dyingReaders(Run t) {
        long round = 0;
        while (t.running()) {
            round++;
            boolean online = (round & 1) == 0;
            Thread reader = new Thread(() -> {
                QuiescentDomain.Reader r = domain.register();
                for (int i = 0; i < 16; i++) {
                    read(t, "dying reader");
                    r.quiescent();
                }
                if (!online) {
                    r.offline();
                }
                // ends without unregister: counts as offline once dead
            }, "torture-qsbr-dying-reader");
            reader.start();
            try {
                reader.join();
            } catch (InterruptedException e) {
                return;
            }
            t.fault(online ? "qsbr reader died online" : "qsbr reader died offline");
            LockSupport.parkNanos(1_000_000);
        }
    }

    private void synchronizer(Run t) {
        pipe.synchronizeAndFree(t, 20_000, random -> {
            domain.synchronize();
            return "qsbr synchronize";
        }, random -> { // succeeds only with nobody online: a few tries, then wait
            int tries = 0;
            while (!domain.trySynchronize()) {
                t.op("qsbr trySynchronize false");
                if (++tries == 64) {
                    domain.synchronize();
                    break;
                }
                Thread.onSpinWait();
            }
            return "qsbr trySynchronize, then synchronize";
        }, random -> {
            while (!domain.trySynchronize(random.nextInt(20), TimeUnit.MICROSECONDS)) {
                t.fault("qsbr tiny trySynchronize timeout");
            }
            return "qsbr timed trySynchronize until true";
        });
    }

    private void deferrer(Run t) {
        pipe.deferFrees(t, domain::callAfterGrace, domain::barrier);
        domain.close();
    }

}
