package dev.raceless.grace;

import dev.raceless.refcount.UseCount;
import dev.raceless.testing.VirtualThreads;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * 10,000 virtual threads park inside sections and while holding uses, as grace periods and
 * shutdowns run: everything completes, and no carrier is pinned (JFR jdk.VirtualThreadPinned, no
 * threshold: zero events). JDK 21+.
 */
class VirtualThreadPinningTest {

    @Test
    void tenThousandParkingVirtualReadersPinNoCarrier() throws Exception {
        assumeTrue(VirtualThreads.supported(), "virtual threads need JDK 21");
        Path file = Files.createTempFile("pinning", ".jfr");
        try (Recording rec = new Recording()) {
            rec.enable("jdk.VirtualThreadPinned").withoutThreshold().withStackTrace();
            rec.start();

            GraceDomain d = new GraceDomain();
            UseCount uses = new UseCount();
            int n = 10_000;
            CountDownLatch inside = new CountDownLatch(n);
            CountDownLatch leave = new CountDownLatch(1);
            Thread[] vts = new Thread[n];
            for (int i = 0; i < n; i++) {
                vts[i] = VirtualThreads.start(() -> {
                    int t = d.enter();
                    boolean held = uses.tryAcquire();
                    inside.countDown();
                    try {
                        leave.await(); // parks: unmounts from the carrier
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    if (held) {
                        uses.release();
                    }
                    d.exit(t);
                });
            }
            inside.await();
            Thread updater = GraceTesting.start("updater", d::synchronize); // waits for all 10,000
            uses.shutdown();                                                // GOING: uses are held
            GraceTesting.awaitParkedInDrain(updater, d);
            leave.countDown();
            for (Thread t : vts) {
                t.join();
            }
            GraceTesting.join(updater);
            uses.awaitTermination();
            assertEquals(UseCount.State.DEAD, uses.state());
            assertTrue(d.trySynchronize());
            rec.stop();
            rec.dump(file);
        }
        List<RecordedEvent> pinned = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("jdk.VirtualThreadPinned"))
                .collect(java.util.stream.Collectors.toList());
        Files.deleteIfExists(file);
        assertEquals(0, pinned.size(), "pinned carriers: " + pinned);
    }
}
