package dev.raceless.loader;

import dev.raceless.testing.Background;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PluginHost#upgrade} with callers looping on {@code call}: no call fails, and no call that
 * began after upgrade to version k returned gets a version older than k. (The recipe the docs once
 * gave, unload then replace the jar, served the old jar again in the gap and failed calls on a
 * half-copied jar.)
 */
class UpgradeUnderLoadTest {
    private static final int UPGRADES = 60;
    private static final int CALLERS = 2;

    @TempDir
    Path dir;

    @Test
    void noCallGetsAnOlderVersionThanTheLastUpgradeThatReturned() throws Exception {
        List<Path> versions = new ArrayList<>();
        for (int v = 0; v <= UPGRADES; v++) {
            versions.add(PluginJars.build(dir.resolve("greeter-" + v + ".jar"), "hello", String.valueOf(v), true));
        }
        try (PluginHost<PluginService> host = new PluginHost<>(PluginService.class, name -> versions.get(0))) {
            AtomicLong returned = new AtomicLong(); // the version of the last upgrade that returned
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger calls = new AtomicInteger();
            ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
            assertEquals("hello x 0", host.call("greeter", s -> s.greet("x")));
            List<Background<Void>> callers = new ArrayList<>();
            for (int c = 0; c < CALLERS; c++) {
                callers.add(Background.start("caller-" + c, () -> {
                    while (!done.get()) {
                        long floor = returned.get();
                        String r = host.call("greeter", s -> s.greet("x"));
                        long v = Long.parseLong(r.substring(r.lastIndexOf(' ') + 1));
                        if (v < floor) {
                            wrong.add("got version " + v + " after the upgrade to " + floor + " returned");
                        }
                        calls.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (int v = 1; v <= UPGRADES; v++) {
                assertEquals(ReloadResult.RELOADED, upgrade(host, versions.get(v)));
                returned.set(v);
            }
            done.set(true);
            for (Background<Void> c : callers) {
                c.join(); // rethrows a failed call
            }
            assertTrue(wrong.isEmpty(), wrong.size() + " stale responses, e.g. " + wrong.peek());
            assertTrue(calls.get() > 0);
        }
    }

    private static ReloadResult upgrade(PluginHost<PluginService> host, Path jar) throws InterruptedException {
        return host.upgrade("greeter", jar);
    }
}
