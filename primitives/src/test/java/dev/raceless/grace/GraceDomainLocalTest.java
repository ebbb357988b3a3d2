package dev.raceless.grace;

import dev.raceless.testing.Background;
import dev.raceless.testing.VirtualThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static dev.raceless.grace.GraceTesting.awaitParkedInDrain;
import static dev.raceless.grace.GraceTesting.join;
import static dev.raceless.grace.GraceTesting.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GraceDomain.Local: the domain's sections through a thread's own view, in whichever flavour runs.
 * Its ordering is checked by jcstress LocalUnpublishThenFree.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GraceDomainLocalTest {

    @Test
    void synchronizeWaitsForASectionEnteredThroughALocal() throws Exception {
        GraceDomain d = new GraceDomain();
        GraceDomain.Local local = d.local();
        assertSame(d, local.domain());
        int t = local.enter();
        AtomicBoolean returned = new AtomicBoolean();
        Thread updater = start("updater", () -> {
            d.synchronize();
            returned.set(true);
        });
        awaitParkedInDrain(updater, d);
        assertFalse(returned.get(), "synchronize() returned while a Local's section was open");
        local.exit(t);
        join(updater);
        assertTrue(returned.get());
        d.close();
    }

    @Test
    void tokensCrossBetweenALocalAndTheDomainOnAnyThread() {
        GraceDomain d = new GraceDomain();
        GraceDomain.Local local = d.local();
        int t = local.enter();
        Background.start("exiter", () -> {
            d.exit(t); // a Local's section ended by the domain on another thread
            return null;
        }).join();
        int u = Background.start("enterer", d::enter).join();
        local.exit(u); // a section of another thread ended through the Local
        d.synchronize(); // nothing open: returns
        assertEquals(0, d.repair(), "enters and exits do not balance");
        d.close();
    }

    @Test
    void aCallFromAnotherThreadThrowsAndChangesNothing() {
        GraceDomain d = new GraceDomain();
        GraceDomain.Local local = d.local();
        Throwable enter = Background.start("intruder", local::enter).joinFailure();
        assertTrue(enter instanceof IllegalStateException, String.valueOf(enter));
        assertTrue(enter.getMessage().contains("confined to the thread that made it"), enter.getMessage());
        d.synchronize(); // the refused enter opened no section

        int t = local.enter();
        Throwable exit = Background.start("intruder", () -> {
            local.exit(t);
            return null;
        }).joinFailure();
        assertTrue(exit instanceof IllegalStateException, String.valueOf(exit));
        assertFalse(d.trySynchronize(), "the refused exit closed the section");
        local.exit(t);
        assertTrue(d.trySynchronize());
        d.close();
    }

    @Test
    void aTokenOfNoEnterIsRefusedAndTheDomainStaysUsable() {
        GraceDomain d = new GraceDomain();
        GraceDomain.Local local = d.local();
        int t = local.enter();
        assertThrows(IllegalArgumentException.class, () -> local.exit(t ^ 0x100));
        local.exit(t);
        d.synchronize();
        d.close();
    }

    @Test
    void aVirtualThreadsLocalWorks() throws Exception {
        if (!VirtualThreads.supported()) {
            return; // JDK 17: no virtual threads
        }
        GraceDomain d = new GraceDomain();
        AtomicReference<String> result = new AtomicReference<>();
        Thread vt = VirtualThreads.start(() -> {
            GraceDomain.Local local = d.local();
            local.exit(local.enter());
            result.set(local.toString());
        });
        vt.join(TimeUnit.SECONDS.toMillis(Background.WATCHDOG_SECONDS));
        assertTrue(String.valueOf(result.get()).contains("no slot of its own"), String.valueOf(result.get()));
        d.synchronize();
        d.close();
    }
}
