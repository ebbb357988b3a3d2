package dev.raceless.registry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly one caller reports each registration deregistered, whatever races it: a member's own
 * deregistration by its {@code DEREGISTERED}, a group call by naming the member among those it
 * deregistered ({@code deregisterAll(Collection)}, {@code tryDeregisterAll(Collection)}). A group
 * call's result agrees with what it named: {@code DEREGISTERED} names every member,
 * {@code PARTIAL} some, anything else none.
 *
 * <p>Each round races a group of four members against the blocking or asynchronous
 * deregistration of one member, with no calls at all (an idle group is where the two used to
 * overlap most). Bounded by a round count; each round checks the reports and the end state.
 */
class ExactlyOneDeregisteredTest {
    private static final int ROUNDS = 10_000;
    private static final int MEMBERS = 4;

    private final Race race = new Race(2);

    @AfterEach
    void stopRace() {
        race.close();
    }

    private interface Variant {
        Callable<DeregisterResult> on(Registration<Probe> r);
    }

    private static final Variant BLOCKING = r -> r::deregister;
    private static final Variant ASYNC = r -> () -> r.deregisterAsync().join();

    @Test
    void tryDeregisterAllRacingAMembersBlockingDeregister() {
        race(RegistrationGroup::tryDeregisterAll, BLOCKING);
    }

    @Test
    void tryDeregisterAllRacingAMembersAsyncDeregister() {
        race(RegistrationGroup::tryDeregisterAll, ASYNC);
    }

    @Test
    void deregisterAllRacingAMembersBlockingDeregister() {
        race(RegistrationGroup::deregisterAll, BLOCKING);
    }

    @Test
    void deregisterAllRacingAMembersAsyncDeregister() {
        race(RegistrationGroup::deregisterAll, ASYNC);
    }

    @Test
    void deregisterAllRacingAMembersTryDeregister() {
        race(RegistrationGroup::deregisterAll, r -> r::tryDeregister);
    }

    private interface GroupCall {
        DeregisterResult on(RegistrationGroup g, Collection<? super Registration<?>> deregistered);
    }

    private void race(GroupCall groupCall, Variant individual) {
        AtomicInteger both = new AtomicInteger();
        for (int round = 0; round < ROUNDS; round++) {
            RegistrationGroup group = new RegistrationGroup();
            List<Registration<Probe>> members = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                members.add(group.add(new Registry<Probe>().register(new Probe("m" + i))));
            }
            Registration<Probe> target = members.get(round % MEMBERS);
            List<Registration<?>> named = new CopyOnWriteArrayList<>();
            List<Object> results = race.round(() -> groupCall.on(group, named), individual.on(target));
            DeregisterResult g = (DeregisterResult) results.get(0);
            DeregisterResult single = (DeregisterResult) results.get(1);
            if (named.contains(target) && single == DeregisterResult.DEREGISTERED) {
                both.incrementAndGet();
            }
            int expectedNamed = g == DeregisterResult.DEREGISTERED ? MEMBERS : -1;
            if (g == DeregisterResult.PARTIAL) {
                assertTrue(!named.isEmpty() && named.size() < MEMBERS, "PARTIAL named " + named);
            } else {
                assertEquals(expectedNamed == MEMBERS ? MEMBERS : 0, named.size(), g + " named " + named);
            }
            for (Registration<Probe> m : members) {
                boolean own = m == target && single == DeregisterResult.DEREGISTERED;
                int reports = (named.contains(m) ? 1 : 0) + (own ? 1 : 0);
                assertEquals(m.isDeregistered() ? 1 : 0, reports, "reports for " + m + " (group " + g + ", named "
                        + named + ", own call " + single + ")");
            }
        }
        assertEquals(0, both.get(), "rounds (of " + ROUNDS + ") in which both the group and the member's own call "
                + "reported DEREGISTERED for the same member");
    }
}
