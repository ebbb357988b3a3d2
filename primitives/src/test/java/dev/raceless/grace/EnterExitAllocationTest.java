package dev.raceless.grace;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * enter() and exit() allocate nothing (rule 7): a million nested pairs, after warm-up, must not
 * move the thread's allocated-bytes counter by more than a small slack (the measuring calls may
 * allocate a little; one allocation per pair would be at least 16 MB).
 *
 * <p>The counter is {@code com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes()},
 * reached reflectively: the tests are compiled into module {@code dev.raceless}, which does not
 * read {@code java.management} (and must not, for a test).
 */
class EnterExitAllocationTest {

    private static final int PAIRS = 1_000_000;
    private static final long SLACK_BYTES = 4096;

    @Test
    void enterAndExitAllocateNothing() throws Exception {
        assumeFalse(Boolean.getBoolean(GraceDomain.DEBUG_PROPERTY), "debug tracking allocates by design");
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Class<?> sunBean;
        try {
            sunBean = Class.forName("com.sun.management.ThreadMXBean");
        } catch (ClassNotFoundException e) {
            assumeTrue(false, "no com.sun.management.ThreadMXBean on this JVM");
            return;
        }
        assumeTrue(sunBean.isInstance(bean), "the platform ThreadMXBean has no allocation counter");
        assumeTrue((Boolean) sunBean.getMethod("isThreadAllocatedMemorySupported").invoke(bean), "not supported");
        sunBean.getMethod("setThreadAllocatedMemoryEnabled", boolean.class).invoke(bean, true);
        Method allocated = sunBean.getMethod("getCurrentThreadAllocatedBytes");

        GraceDomain d = new GraceDomain();
        long sink = 0;
        for (int round = 0; round < 5; round++) { // warm-up: let the JIT compile both paths
            sink += run(d, 200_000);
        }
        allocated.invoke(bean); // warm the reflective call too
        long before = (Long) allocated.invoke(bean);
        sink += run(d, PAIRS);
        long after = (Long) allocated.invoke(bean);
        long bytes = after - before;
        assertTrue(bytes <= SLACK_BYTES, bytes + " bytes allocated over " + PAIRS + " nested enter/exit pairs");
        assertTrue(sink != 42, "keeps the loop alive");
        assertTrue(d.trySynchronize(), "every section ended");
    }

    private static long run(GraceDomain d, int pairs) {
        long s = 0;
        for (int i = 0; i < pairs; i++) {
            int outer = d.enter();
            int inner = d.enter(); // nested
            s += outer ^ inner;
            d.exit(inner);
            d.exit(outer);
        }
        return s;
    }
}
