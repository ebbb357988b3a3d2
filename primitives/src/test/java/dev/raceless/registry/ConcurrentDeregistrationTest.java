package dev.raceless.registry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deregistration variants racing each other (and calls), round after round: double and
 * concurrent deregistration is reported, never corrupts state, and never lets a call run after a
 * DEREGISTERED result. Bounded by round counts; each round checks the end state.
 */
class ConcurrentDeregistrationTest {
    private static final int ROUNDS = 1500;

    private final Race race = new Race(5);

    @AfterEach
    void stopRace() {
        race.close();
    }

    /**
     * A caller. Half the time it enters the round with a call already in flight into one of the
     * registrations (taken here, before the round starts) and ends that call after a random
     * while; then it makes a few more calls into each registration, each holding its use for a
     * random while.
     */
    private static Callable<Integer> caller(List<Registration<Probe>> registrations) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Registration<Probe> inFlight =
                random.nextBoolean() ? registrations.get(random.nextInt(registrations.size())) : null;
        if (inFlight != null && !inFlight.tryAcquire()) {
            throw new AssertionError("fresh registration refused a call");
        }
        return () -> {
            int calls = 0;
            if (inFlight != null) {
                inFlight.service().call();
                for (int i = ThreadLocalRandom.current().nextInt(8); i >= 0; i--) {
                    Race.jitter();
                }
                inFlight.service().call();
                inFlight.release();
                calls++;
            }
            for (int i = 0; i < 3; i++) {
                for (Registration<Probe> r : registrations) {
                    if (r.tryAcquire()) {
                        try {
                            r.service().call();
                            Race.jitter();
                            r.service().call();
                            calls++;
                        } finally {
                            r.release();
                        }
                    }
                }
            }
            return calls;
        };
    }

    /** Marks the probe the moment a deregistration reports DEREGISTERED, on the reporting thread. */
    private static DeregisterResult mark(Registration<Probe> r, DeregisterResult result) {
        if (result == DeregisterResult.DEREGISTERED) {
            r.service().deregistered = true;
        }
        return result;
    }

    private static Callable<DeregisterResult> tryDeregister(Registration<Probe> r) {
        return () -> mark(r, r.tryDeregister());
    }

    private static Callable<DeregisterResult> timed(Registration<Probe> r) {
        return () -> mark(r, r.tryDeregister(ThreadLocalRandom.current().nextInt(3) * 20L, TimeUnit.MICROSECONDS));
    }

    private static Callable<DeregisterResult> blocking(Registration<Probe> r) {
        return () -> mark(r, r.deregister());
    }

    private static Callable<DeregisterResult> async(Registration<Probe> r) {
        return () -> r.deregisterAsync().thenApply(res -> mark(r, res)).join();
    }

    private static void assertGone(Registration<Probe> r) {
        assertTrue(r.isDeregistered(), r + " deregistered");
        assertFalse(r.isRegistered());
        assertFalse(r.tryAcquire(), "no call can start");
        assertFalse(r.registry().registrations().contains(r), "no trace in the registry");
    }

    private static void assertRegisteredAsBefore(Registration<Probe> r) {
        assertTrue(r.isRegistered(), r + " registered");
        assertFalse(r.isDeregistered());
        assertTrue(r.registry().registrations().contains(r));
        assertTrue(r.tryAcquire(), "callable");
        r.release();
    }

    /** Outcome counts of one race, printed at the end so a run shows which interleavings it reached. */
    private final Map<String, Integer> outcomes = new TreeMap<>();

    private void seen(Object outcome) {
        outcomes.merge(String.valueOf(outcome), 1, Integer::sum);
    }

    @AfterEach
    void printOutcomes(TestInfo test) {
        System.out.println(test.getDisplayName() + " outcomes: " + outcomes);
    }

    private static int count(List<Object> results, DeregisterResult wanted) {
        int n = 0;
        for (Object o : results) {
            if (o == wanted) {
                n++;
            }
        }
        return n;
    }

    @Test
    void everyVariantAtOnceExactlyOneDeregistersAndNoCallRunsAfter() {
        for (int round = 0; round < ROUNDS; round++) {
            Registry<Probe> registry = new Registry<>();
            Registration<Probe> r = registry.register(new Probe("a"));
            List<Object> results = race.round(tryDeregister(r), timed(r), blocking(r), async(r), caller(List.of(r)));
            seen(results.subList(0, results.size() - 1));

            assertEquals(1, count(results.subList(0, 4), DeregisterResult.DEREGISTERED), "exactly one: " + results);
            assertNotEquals(DeregisterResult.BUSY, results.get(2), "blocking never reports BUSY");
            assertNotEquals(DeregisterResult.BUSY, results.get(3), "async never reports BUSY");
            assertGone(r);
            assertEquals(0, registry.size());
            assertEquals(0, r.service().violations.get(), "a call ran after DEREGISTERED");
        }
    }

    @Test
    void twoTryDeregistersAtOnce() {
        for (int round = 0; round < ROUNDS; round++) {
            Registry<Probe> registry = new Registry<>();
            Registration<Probe> r = registry.register(new Probe("a"));
            List<Object> results = race.round(tryDeregister(r), tryDeregister(r), caller(List.of(r)));
            seen(results.subList(0, results.size() - 1));
            int done = count(results.subList(0, 2), DeregisterResult.DEREGISTERED);
            assertTrue(done <= 1, "at most one: " + results);
            if (done == 1) {
                assertGone(r);
            } else {
                assertRegisteredAsBefore(r);
            }
            assertEquals(0, r.service().violations.get());
        }
    }

    @Test
    void timedTryDeregisterRacingBlockingDeregister() {
        for (int round = 0; round < ROUNDS; round++) {
            Registry<Probe> registry = new Registry<>();
            Registration<Probe> r = registry.register(new Probe("a"));
            List<Object> results = race.round(timed(r), blocking(r), caller(List.of(r)));
            seen(results.subList(0, results.size() - 1));
            assertEquals(1, count(results.subList(0, 2), DeregisterResult.DEREGISTERED), "exactly one: " + results);
            assertNotEquals(DeregisterResult.BUSY, results.get(1));
            assertGone(r);
            assertEquals(0, r.service().violations.get());
        }
    }

    @Test
    void timedTryDeregisterRacingAsyncDeregister() {
        for (int round = 0; round < ROUNDS; round++) {
            Registry<Probe> registry = new Registry<>();
            Registration<Probe> r = registry.register(new Probe("a"));
            List<Object> results = race.round(timed(r), async(r), caller(List.of(r)));
            seen(results.subList(0, results.size() - 1));
            assertEquals(1, count(results.subList(0, 2), DeregisterResult.DEREGISTERED), "exactly one: " + results);
            assertNotEquals(DeregisterResult.BUSY, results.get(1));
            assertGone(r);
            assertEquals(0, r.service().violations.get());
        }
    }

    @Test
    void twoTimedTryDeregistersAtOnce() {
        for (int round = 0; round < ROUNDS; round++) {
            Registry<Probe> registry = new Registry<>();
            Registration<Probe> r = registry.register(new Probe("a"));
            List<Object> results = race.round(timed(r), timed(r), caller(List.of(r)));
            seen(results.subList(0, results.size() - 1));
            int done = count(results.subList(0, 2), DeregisterResult.DEREGISTERED);
            assertTrue(done <= 1, "at most one: " + results);
            if (done == 1) {
                assertGone(r);
            } else {
                assertRegisteredAsBefore(r);
            }
            assertEquals(0, r.service().violations.get());
        }
    }

    /**
     * A group's all-or-nothing attempt racing an individual deregistration (each variant in turn)
     * of its first member, with calls into both members. The group's second member is touched by
     * the group only: unless the group reports DEREGISTERED it must be registered exactly as
     * before.
     */
    @Test
    void groupTryDeregisterAllRacingAnIndividualDeregistrationOfAMember() {
        List<Function1> individual = List.of(
                ConcurrentDeregistrationTest::tryDeregister, ConcurrentDeregistrationTest::timed,
                ConcurrentDeregistrationTest::blocking, ConcurrentDeregistrationTest::async);
        int groupWins = 0;
        int bothReportedDeregistered = 0;
        for (int round = 0; round < ROUNDS * 2; round++) {
            Registration<Probe> m0 = new Registry<Probe>().register(new Probe("m0"));
            Registration<Probe> m1 = new Registry<Probe>().register(new Probe("m1"));
            RegistrationGroup group = new RegistrationGroup();
            group.add(m0);
            group.add(m1);
            int v = round % individual.size();
            List<Object> results = race.round(
                    () -> {
                        DeregisterResult g = group.tryDeregisterAll();
                        if (g == DeregisterResult.DEREGISTERED) {
                            m0.service().deregistered = true;
                            m1.service().deregistered = true;
                        }
                        return g;
                    },
                    individual.get(v).apply(m0),
                    caller(List.of(m0, m1)));
            seen("variant " + v + " " + results.subList(0, 2));
            DeregisterResult g = (DeregisterResult) results.get(0);
            DeregisterResult single = (DeregisterResult) results.get(1);
            String what = "group " + g + ", individual variant " + v + " " + single;

            if (g == DeregisterResult.DEREGISTERED) {
                groupWins++;
                assertGone(m0);
                assertGone(m1);
                if (single == DeregisterResult.DEREGISTERED) {
                    bothReportedDeregistered++;
                }
            } else {
                assertRegisteredAsBefore(m1); // no partial deregistration
                if (single == DeregisterResult.DEREGISTERED) {
                    assertGone(m0);
                } else {
                    // ALREADY says another call deregistered m0; the group changed nothing, so no one did
                    assertEquals(DeregisterResult.BUSY, single, what);
                    assertRegisteredAsBefore(m0);
                }
            }
            if (v >= 2) { // blocking or async: never BUSY, and m0 is gone at the end
                assertNotEquals(DeregisterResult.BUSY, single, what);
                assertGone(m0);
            }
            assertEquals(0, m0.service().violations.get(), "call into m0 after DEREGISTERED");
            assertEquals(0, m1.service().violations.get(), "call into m1 after DEREGISTERED");
        }
        System.out.println("groupTryDeregisterAll vs individual: group won " + groupWins + " rounds");
        assertEquals(0, bothReportedDeregistered,
                "rounds in which both the group and the individual call reported DEREGISTERED");
        assertTrue(groupWins > 0, "the group never won a round: the race did not exercise success");
    }

    @Test
    void groupTryDeregisterAllRacingDeregisterAllOfTheSameGroup() {
        for (int round = 0; round < ROUNDS; round++) {
            Registration<Probe> m0 = new Registry<Probe>().register(new Probe("m0"));
            Registration<Probe> m1 = new Registry<Probe>().register(new Probe("m1"));
            RegistrationGroup group = new RegistrationGroup();
            group.add(m0);
            group.add(m1);
            List<Object> results = race.round(group::tryDeregisterAll, group::deregisterAll, caller(List.of(m0, m1)));
            seen(results.subList(0, results.size() - 1));
            assertNotEquals(DeregisterResult.BUSY, results.get(1), "deregisterAll never reports BUSY");
            assertGone(m0);
            assertGone(m1);
        }
    }

    @Test
    void twoGroupsSharingAMemberNeverBothSucceed() {
        for (int round = 0; round < ROUNDS; round++) {
            Registration<Probe> a = new Registry<Probe>().register(new Probe("a"));
            Registration<Probe> shared = new Registry<Probe>().register(new Probe("shared"));
            Registration<Probe> b = new Registry<Probe>().register(new Probe("b"));
            RegistrationGroup g1 = new RegistrationGroup();
            g1.add(a);
            g1.add(shared);
            RegistrationGroup g2 = new RegistrationGroup();
            g2.add(shared);
            g2.add(b);
            List<Object> results =
                    race.round(g1::tryDeregisterAll, g2::tryDeregisterAll, caller(List.of(a, shared, b)));
            seen(results.subList(0, results.size() - 1));
            DeregisterResult r1 = (DeregisterResult) results.get(0);
            DeregisterResult r2 = (DeregisterResult) results.get(1);
            assertFalse(r1 == DeregisterResult.DEREGISTERED && r2 == DeregisterResult.DEREGISTERED, results.toString());
            if (r1 == DeregisterResult.DEREGISTERED) {
                assertGone(a);
                assertGone(shared);
                assertRegisteredAsBefore(b);
            } else if (r2 == DeregisterResult.DEREGISTERED) {
                assertGone(b);
                assertGone(shared);
                assertRegisteredAsBefore(a);
            } else {
                assertRegisteredAsBefore(a);
                assertRegisteredAsBefore(shared);
                assertRegisteredAsBefore(b);
            }
        }
    }

    @Test
    void deregisterAsyncRacingDeregisterOnAGroupMemberWhileTheGroupWaits() {
        for (int round = 0; round < ROUNDS; round++) {
            Registration<Probe> m0 = new Registry<Probe>().register(new Probe("m0"));
            Registration<Probe> m1 = new Registry<Probe>().register(new Probe("m1"));
            RegistrationGroup group = new RegistrationGroup();
            group.add(m0);
            group.add(m1);
            List<Object> results = race.round(group::deregisterAll, async(m1), blocking(m0), caller(List.of(m0, m1)));
            seen(results.subList(0, results.size() - 1));
            assertNotEquals(DeregisterResult.BUSY, results.get(0));
            assertGone(m0);
            assertGone(m1);
            assertEquals(0, m0.service().violations.get());
            assertEquals(0, m1.service().violations.get());
        }
    }

    /** A deregistration variant applied to a registration. */
    @FunctionalInterface
    private interface Function1 {
        Callable<DeregisterResult> apply(Registration<Probe> r);
    }

}
