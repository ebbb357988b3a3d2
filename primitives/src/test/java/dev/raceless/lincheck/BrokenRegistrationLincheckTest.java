package dev.raceless.lincheck;

import dev.raceless.refcount.UseCount;
import dev.raceless.registry.DeregisterResult;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Lincheck check of {@link RegistrationLincheckTest} catches a deliberately broken
 * registration: one without a claim word, that decides who deregisters by check-then-act on a
 * "done" flag. Every sequential history of it is right (a second deregistration reports
 * ALREADY_DEREGISTERED); only a race between its {@code tryDeregister} and its
 * {@code deregisterAsync} lets both report DEREGISTERED, which is the bug a group and a member's
 * own call used to have. Always runs: it asserts that Lincheck fails.
 */
@Param(name = "thread", gen = ThreadIdGen.class)
public class BrokenRegistrationLincheckTest {

    /** A registration without a claim: the "done" flag is read, then acted on, not CASed. */
    static final class CheckThenActRegistration {
        private final UseCount uses = new UseCount(1);
        private volatile boolean done;

        boolean tryAcquire() {
            return uses.tryAcquire();
        }

        void release() {
            uses.release();
        }

        DeregisterResult tryDeregister() {
            if (done) {
                return DeregisterResult.ALREADY_DEREGISTERED;
            }
            if (!uses.tryShutdown()) {
                return DeregisterResult.BUSY;
            }
            done = true; // broken: another deregistration may have passed the check too
            return DeregisterResult.DEREGISTERED;
        }

        CompletableFuture<DeregisterResult> deregisterAsync() {
            if (done) {
                return CompletableFuture.completedFuture(DeregisterResult.ALREADY_DEREGISTERED);
            }
            uses.shutdown();
            return uses.termination().thenApply(v -> {
                done = true;
                return DeregisterResult.DEREGISTERED;
            });
        }

        boolean isRegistered() {
            return uses.state() == UseCount.State.LIVE;
        }

        boolean isDeregistered() {
            return done;
        }
    }

    private final CheckThenActRegistration r = new CheckThenActRegistration();
    private final Holdings holdings = new Holdings();
    private final Reports reports = new Reports();

    @Operation(nonParallelGroup = "calls")
    public boolean tryAcquire(@Param(name = "thread") int thread) {
        if (!r.tryAcquire()) {
            return false;
        }
        holdings.took(thread);
        return true;
    }

    @Operation(nonParallelGroup = "calls")
    public boolean release(@Param(name = "thread") int thread) {
        if (!holdings.holds(thread)) {
            return false;
        }
        holdings.dropped(thread);
        r.release();
        return true;
    }

    @Operation(nonParallelGroup = "calls")
    public DeregisterResult tryDeregister() {
        return reports.count(r.tryDeregister());
    }

    @Operation
    public void deregisterAsync() {
        reports.count(r.deregisterAsync());
    }

    @Operation(nonParallelGroup = "calls")
    public boolean isRegistered() {
        return r.isRegistered();
    }

    @Operation(nonParallelGroup = "calls")
    public boolean isDeregistered() {
        return r.isDeregistered();
    }

    @Validate
    public void exactlyOneReport() {
        reports.check("the broken registration", r.isDeregistered());
    }

    @Test
    void lincheckCatchesTwoDeregisteredReports() {
        AssertionError caught = assertThrows(AssertionError.class,
                () -> LincheckRuns.modelCheck(RegistrationSpec.class, 10,
                        300).check(BrokenRegistrationLincheckTest.class));
        String[] lines = caught.getMessage().split("\n");
        System.out.println("Lincheck on the broken registration, as expected:\n"
                + String.join("\n", java.util.Arrays.copyOf(lines, Math.min(lines.length, 12))));
        assertTrue(caught.getMessage().contains("= Invalid execution results =")
                || caught.getMessage().contains("Validation function"), caught.getMessage());
    }
}
