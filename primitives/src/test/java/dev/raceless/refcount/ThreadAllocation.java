package dev.raceless.refcount;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Test helper: bytes allocated so far by the current thread, from
 * {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes(long)}. Reached through a method
 * handle because the module under test does not read {@code jdk.management}; a bound handle called
 * with {@code invokeExact} reads the counter without allocating itself.
 */
final class ThreadAllocation {
    private static final MethodHandle ALLOCATED_BYTES = allocatedBytesHandle();

    private ThreadAllocation() {
    }

    /** Whether this JVM can measure per-thread allocation (and has it enabled). */
    static boolean supported() {
        return ALLOCATED_BYTES != null;
    }

    /** Bytes allocated by the current thread since it started. */
    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+
    static long allocatedBytes() {
        try {
            return (long) ALLOCATED_BYTES.invokeExact(Thread.currentThread().getId());
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static MethodHandle allocatedBytesHandle() {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory")
                    .getMethod("getThreadMXBean").invoke(null);
            Class<?> sunBean = Class.forName("com.sun.management.ThreadMXBean");
            if (!sunBean.isInstance(bean)
                    || !(Boolean) sunBean.getMethod("isThreadAllocatedMemorySupported").invoke(bean)) {
                return null;
            }
            sunBean.getMethod("setThreadAllocatedMemoryEnabled", boolean.class).invoke(bean, true);
            MethodHandle mh = MethodHandles.publicLookup().findVirtual(sunBean, "getThreadAllocatedBytes",
                    MethodType.methodType(long.class, long.class));
            return mh.bindTo(bean);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // not a HotSpot-like JVM: the tests that need it are skipped
        }
    }
}
