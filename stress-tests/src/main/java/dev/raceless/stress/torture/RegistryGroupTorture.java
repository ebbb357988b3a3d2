package dev.raceless.stress.torture;

import dev.raceless.registry.DeregisterResult;
import dev.raceless.registry.Registration;
import dev.raceless.registry.RegistrationGroup;
import dev.raceless.registry.Registry;
import dev.raceless.stress.harness.Run;
import dev.raceless.stress.harness.Scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Registry groups deregistered against calls. Each round builds a module of four registrations in
 * four registries, lets two caller threads call into them, and races the group's
 * {@code tryDeregisterAll} or {@code deregisterAll} against one member's own deregistration
 * (blocking, async, non-blocking, or timed with a timeout of a few microseconds).
 *
 * <p>Errors: a call that runs after a {@code DEREGISTERED} report for its service; a member not
 * reported deregistered by exactly one caller by the end of the round (a group call reports the
 * members it names in {@code deregisterAll(Collection)} / {@code tryDeregisterAll(Collection)};
 * a member's own call and the final {@code deregisterAsync} report by {@code DEREGISTERED}); a
 * group result that disagrees with the members it named ({@code DEREGISTERED}: all,
 * {@code PARTIAL}: some, else none); a registration that stays registered after a blocking variant
 * returned; a stall nobody injected.
 * Fault: now and then a thread takes a use and dies without releasing it; the deregistration must
 * then be reported as stalled after the threshold (never hang), and the run releases that use on
 * the dead thread's behalf to go on.
 */
public final class RegistryGroupTorture implements Scenario {
    private static final int MEMBERS = 4;

    /** One module's services: a call checks, on entry and exit, that no DEREGISTERED was reported. */
    static final class Service {
        volatile boolean deregistered;
        final AtomicInteger reports = new AtomicInteger();
    }

    /** The round's registries, published to the callers. */
    private volatile List<Registry<Service>> registries = List.of();
    /** The member whose use a dead thread holds this round, until rescued; deregisterer thread only. */
    private Registration<Service> dead;

    @Override
    public String name() {
        return "RegistryGroupTorture";
    }

    @Override
    public List<Thread> threads(Run t) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            threads.add(new Thread(() -> callers(t), "torture-registry-caller-" + i));
        }
        threads.add(new Thread(() -> deregisterer(t), "torture-registry-deregisterer"));
        return threads;
    }

    private void callers(Run t) {
        while (t.running()) {
            for (Registry<Service> registry : registries) {
                registry.forEach(s -> {
                    if (s.deregistered) {
                        t.error("call after DEREGISTERED", "a call entered a service reported deregistered");
                    }
                    Thread.onSpinWait();
                    if (s.deregistered) {
                        t.error("call after DEREGISTERED",
                                "a call was running when its service was reported deregistered");
                    }
                });
                t.op("registry call round");
            }
        }
    }

    private void deregisterer(Run t) {
        long round = 0;
        while (t.running()) {
            round++;
            List<Registry<Service>> regs = new ArrayList<>();
            RegistrationGroup group = new RegistrationGroup();
            List<Registration<Service>> members = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                Registry<Service> reg = new Registry<>();
                regs.add(reg);
                members.add(group.add(reg.register(new Service())));
            }
            registries = regs;
            ThreadLocalRandom random = ThreadLocalRandom.current();
            Registration<Service> target = members.get(random.nextInt(MEMBERS));
            dead = null;
            if (round % 64 == 0) { // fault: a thread takes a use and dies holding it
                dead = members.get(random.nextInt(MEMBERS));
                Registration<Service> victim = dead;
                Thread holder = new Thread(() -> {
                    if (!victim.tryAcquire()) {
                        t.error("refused call", "a fresh registration refused a call");
                    }
                }, "torture-registry-dies-holding-a-use");
                holder.start();
                try {
                    holder.join();
                } catch (InterruptedException e) {
                    return;
                }
                t.fault("thread died holding a registry use");
            }
            int variant = random.nextInt(4);
            CompletableFuture<DeregisterResult> own = CompletableFuture.supplyAsync(() -> individual(target, variant));
            boolean tryAll = random.nextBoolean();
            long start = System.nanoTime();
            List<Registration<?>> named = new CopyOnWriteArrayList<>();
            CompletableFuture<DeregisterResult> groupCall = CompletableFuture.supplyAsync(
                    () -> tryAll ? group.tryDeregisterAll(named) : group.deregisterAll(named));
            DeregisterResult g = await(t, groupCall, tryAll ? "tryDeregisterAll" : "deregisterAll");
            t.latency(tryAll ? "registry tryDeregisterAll" : "registry deregisterAll", System.nanoTime() - start);
            boolean agrees = g == DeregisterResult.DEREGISTERED ? named.size() == MEMBERS
                    : g == DeregisterResult.PARTIAL ? !tryAll && !named.isEmpty() && named.size() < MEMBERS
                    : named.isEmpty();
            if (g != null && !agrees) {
                t.error("group result disagrees with the members it named", g + " named " + named.size() + " of "
                        + MEMBERS + " (" + (tryAll ? "tryDeregisterAll" : "deregisterAll") + ")");
            }
            for (Registration<Service> m : members) {
                if (named.contains(m)) {
                    report(t, m);
                }
            }
            DeregisterResult mine = await(t, own, "member variant " + variant);
            if (mine == DeregisterResult.DEREGISTERED) {
                report(t, target);
            }
            t.op("registry round (group " + (tryAll ? "try" : "blocking") + ")");
            // End of round: make sure every member goes, whoever ends up doing it.
            for (Registration<Service> m : members) {
                long s = System.nanoTime();
                DeregisterResult r = await(t, m.deregisterAsync(), "final deregisterAsync");
                t.latency("registry deregisterAsync", System.nanoTime() - s);
                if (r == DeregisterResult.DEREGISTERED) {
                    report(t, m);
                }
                if (!m.isDeregistered()) {
                    t.error("still registered", m + " after a deregistration completed");
                }
            }
            for (Registration<Service> m : members) {
                int n = m.service().reports.get();
                if (n != 1) {
                    t.error(n == 0 ? "member reported by no caller" : "two DEREGISTERED reports",
                            m + " was reported deregistered by " + n + " callers (group " + g + " by "
                            + (tryAll ? "tryDeregisterAll" : "deregisterAll") + ", member variant " + variant + ")");
                }
            }
            if (dead != null) {
                t.error("injected stall not reported", dead + " was deregistered while a dead thread held a use");
            }
        }
    }

    private static DeregisterResult individual(Registration<Service> r, int variant) {
        try {
            switch (variant) {
                case 0:
                    return r.deregister();
                case 1:
                    return r.deregisterAsync().join();
                case 2:
                    return r.tryDeregister();
                default:
                    return r.tryDeregister(ThreadLocalRandom.current().nextInt(4), TimeUnit.MICROSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeregisterResult.BUSY;
        }
    }

    private static void report(Run t, Registration<Service> r) {
        Service s = r.service();
        s.deregistered = true;
        if (s.reports.incrementAndGet() > 1) {
            t.error("two DEREGISTERED reports", r + " was reported deregistered twice");
        }
    }

    /**
     * Waits for a deregistration; past the stall threshold reports a stall. If a thread died
     * holding a use of {@code dead}, that stall was injected: release its use on its behalf (a
     * release from another thread is legal) and wait again. Otherwise the stall is an error.
     */
    private DeregisterResult await(Run t, CompletableFuture<DeregisterResult> f, String what) {
        for (int attempt = 0;; attempt++) {
            try {
                return f.get(t.stallNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (dead != null && !dead.isDeregistered() && !dead.isRegistered()) {
                    System.out.println("stall: " + what + " waits for " + dead
                            + ", whose use is held by a dead thread");
                    t.fault("stall reported");
                    dead.release(); // rescue: the dead holder's release, made for it
                    dead = null;
                } else if (attempt > 3) {
                    t.error("unexplained stall", what + " did not finish within " + (attempt + 1) + " thresholds");
                    return null;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (ExecutionException e) {
                t.error("deregistration threw", what + ": " + e.getCause());
                return null;
            }
        }
    }
}
