package dev.raceless.grace;

import dev.raceless.refcount.UseCount;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JFR events of the grace and refcount slow paths, read back with a RecordingStream. */
class JfrEventsTest {

    @Test
    void gracePeriodTerminationStallAndFailedActionEventsAreRecorded() throws Exception {
        List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(4); // one of each kind is enough
        try (RecordingStream rs = new RecordingStream()) {
            for (String e : List.of("GracePeriod", "Termination", "Stall", "DeferredActionFailed")) {
                rs.enable("dev.raceless." + e).withoutThreshold();
                rs.onEvent("dev.raceless." + e, ev -> {
                    if (seen.stream().noneMatch(x -> x.getEventType().getName().equals(ev.getEventType().getName()))) {
                        all.countDown();
                    }
                    seen.add(ev);
                });
            }
            rs.setMaxAge(Duration.ofSeconds(30));
            rs.startAsync();

            GraceDomain d = new GraceDomain("jfr-test", (a, t) -> { });
            d.synchronize();
            d.callAfterGrace(() -> {
                throw new IllegalStateException("on purpose");
            });
            d.barrier();
            UseCount c = new UseCount();
            c.reportStalls(1, TimeUnit.MILLISECONDS, r -> { });
            c.tryAcquire();
            c.shutdown();
            c.awaitTermination(50, TimeUnit.MILLISECONDS); // stalls: the use is held
            c.release();                                   // terminates
            d.close();

            assertTrue(all.await(30, TimeUnit.SECONDS), "events seen: " + seen);
        }
        RecordedEvent gp = seen.stream().filter(e -> e.getEventType().getName().equals("dev.raceless.GracePeriod"))
                .findFirst().orElseThrow();
        assertEquals("jfr-test", gp.getString("domain"));
        assertEquals("DONE", gp.getString("outcome"));
        RecordedEvent term = seen.stream().filter(e -> e.getEventType().getName().equals("dev.raceless.Termination"))
                .findFirst().orElseThrow();
        assertTrue(term.getLong("shutdownToTermination") > 0, term.toString());
    }
}
