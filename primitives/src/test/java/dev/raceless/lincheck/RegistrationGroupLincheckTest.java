package dev.raceless.lincheck;

import dev.raceless.registry.DeregisterResult;
import dev.raceless.registry.Registration;
import dev.raceless.registry.RegistrationGroup;
import dev.raceless.registry.Registry;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code RegistrationGroup} of two registrations (in two registries) checked by Lincheck's
 * model checker against {@link RegistrationGroupSpec}: calls into either member, a member's own
 * tryDeregister and deregisterAsync, and the group's all-or-nothing tryDeregisterAll, with a
 * validation that each deregistered member got exactly one report: its own call's
 * {@code DEREGISTERED}, or the group naming it in {@code tryDeregisterAll(Collection)} (all or
 * none). The blocking {@code deregisterAll} is left out as {@code deregister()} is; its reports are
 * checked by {@code ExactlyOneDeregisteredTest} and the registry torture. The non-parallel group
 * and the left-out blocking variants are as in
 * {@link RegistrationLincheckTest}, for the same reasons; the race this test is for, a member's
 * asynchronous deregistration against the group's attempt, is in.
 */
@Param(name = "thread", gen = ThreadIdGen.class)
@Param(name = "member", gen = IntGen.class, conf = "0:1")
public class RegistrationGroupLincheckTest {
    private final Registration<?>[] members = {
            new Registry<String>().register("a"), new Registry<String>().register("b")};
    private final RegistrationGroup group = new RegistrationGroup();
    private final Holdings[] holdings = {new Holdings(), new Holdings()};
    private final Reports[] reports = {new Reports(), new Reports()};

    public RegistrationGroupLincheckTest() {
        group.add(members[0]);
        group.add(members[1]);
    }

    @Operation(nonParallelGroup = "calls")
    public boolean tryAcquire(@Param(name = "member") int member, @Param(name = "thread") int thread) {
        if (!members[member].tryAcquire()) {
            return false;
        }
        holdings[member].took(thread);
        return true;
    }

    @Operation(nonParallelGroup = "calls")
    public boolean release(@Param(name = "member") int member, @Param(name = "thread") int thread) {
        if (!holdings[member].holds(thread)) {
            return false;
        }
        holdings[member].dropped(thread);
        members[member].release();
        return true;
    }

    @Operation(nonParallelGroup = "calls")
    public DeregisterResult tryDeregister(@Param(name = "member") int member) {
        return reports[member].count(members[member].tryDeregister());
    }

    @Operation
    public void deregisterAsync(@Param(name = "member") int member) {
        reports[member].count(members[member].deregisterAsync());
    }

    @Operation(nonParallelGroup = "calls")
    public boolean isDeregistered(@Param(name = "member") int member) {
        return members[member].isDeregistered();
    }

    @Operation(nonParallelGroup = "calls")
    public DeregisterResult tryDeregisterAll() {
        List<Registration<?>> named = new ArrayList<>();
        DeregisterResult r = group.tryDeregisterAll(named);
        for (int i = 0; i < members.length; i++) { // the group's report for a member: naming it
            reports[i].count(named.contains(members[i]) ? DeregisterResult.DEREGISTERED : DeregisterResult.BUSY);
        }
        if ((r == DeregisterResult.DEREGISTERED) != (named.size() == members.length) || named.size() % 2 != 0) {
            throw new IllegalStateException("tryDeregisterAll returned " + r + " and named " + named);
        }
        return r;
    }

    @Validate
    public void exactlyOneReportPerMember() {
        reports[0].check("member a", members[0].isDeregistered());
        reports[1].check("member b", members[1].isDeregistered());
    }

    @Test
    void groupIsALinearizableStateMachineWithOneReportPerMember() {
        LincheckRuns.modelCheck(RegistrationGroupSpec.class, 8, 100).check(RegistrationGroupLincheckTest.class);
    }
}
