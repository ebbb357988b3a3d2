package dev.raceless.grace;

import dev.raceless.grace.QuiescentTesting.Driven;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.raceless.grace.GraceTesting.join;
import static dev.raceless.grace.GraceTesting.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Stall reports name the online thread that has not reported, with its stack; JFR records grace
 * periods. Thresholds are tiny; nothing asserts a duration.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // a hang fails the test instead of the build
class QuiescentStallTest {

    @Test
    void aGracePeriodHeldByAnOnlineThreadNamesItWithItsStackOnce() throws Exception {
        QuiescentDomain d = new QuiescentDomain();
        List<String> reports = new CopyOnWriteArrayList<>();
        d.reportStalls(20, TimeUnit.MILLISECONDS, reports::add);
        try (Driven reader = new Driven("never-reports").register(d); Driven idle = new Driven("idle").register(d)) {
            idle.offline();
            Thread updater = start("updater", d::synchronize);
            long deadline = System.nanoTime() + GraceTesting.PATIENCE_NANOS;
            while (reports.isEmpty()) {
                if (System.nanoTime() - deadline > 0) {
                    fail("no stall report");
                }
                Thread.yield();
            }
            String r = reports.get(0);
            assertTrue(r.contains("\"never-reports\"") && r.contains("updater") && r.contains("1 online thread"), r);
            assertTrue(r.contains("Driven"), "the stack of the thread: " + r);
            assertTrue(!r.contains("\"idle\""), "an offline thread is not named: " + r);
            Thread.sleep(100); // reported once per stall, not once per threshold
            reader.quiescent();
            join(updater);
            assertEquals(1, reports.size(), reports.toString());
        }
    }

    @Test
    void gracePeriodsAreRecordedInJfr() throws Exception {
        List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
        CountDownLatch one = new CountDownLatch(1);
        try (RecordingStream rs = new RecordingStream()) {
            rs.enable("dev.raceless.QuiescentGracePeriod").withoutThreshold();
            rs.onEvent("dev.raceless.QuiescentGracePeriod", e -> {
                seen.add(e);
                one.countDown();
            });
            rs.setMaxAge(Duration.ofSeconds(30));
            rs.startAsync();
            QuiescentDomain d = new QuiescentDomain("jfr-qsbr", (a, t) -> { });
            d.synchronize();
            assertTrue(one.await(30, TimeUnit.SECONDS), "events seen: " + seen);
        }
        RecordedEvent gp = seen.get(0);
        assertEquals("jfr-qsbr", gp.getString("domain"));
        assertEquals("DONE", gp.getString("outcome"));
    }
}
