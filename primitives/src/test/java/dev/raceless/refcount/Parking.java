package dev.raceless.refcount;

/**
 * Test helper: waits until a thread is parked inside a given method, and tells how it waits. Used to
 * make a waiter really wait before the event it waits for, without sleeping for a guessed time.
 */
final class Parking {
    private Parking() {
    }

    /**
     * Returns once {@code t} is parked ({@code LockSupport.park*}) with {@code UseCount.method} on its
     * stack. Spins politely; a test calling this should carry a hang guard ({@code @Timeout}).
     */
    static StackTraceElement[] awaitParkedIn(Thread t, String method) {
        for (;;) {
            if (!t.isAlive()) {
                throw new AssertionError(t + " ended before parking in UseCount." + method);
            }
            Thread.State st = t.getState();
            if (st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING) {
                StackTraceElement[] stack = t.getStackTrace();
                if (contains(stack, "java.util.concurrent.locks.LockSupport", "park")
                        && contains(stack, UseCount.class.getName(), method)) {
                    return stack;
                }
            }
            Thread.yield();
        }
    }

    /** Whether a frame of {@code className.method*} is on {@code stack}. */
    static boolean contains(StackTraceElement[] stack, String className, String methodPrefix) {
        for (StackTraceElement e : stack) {
            if (e.getClassName().equals(className) && e.getMethodName().startsWith(methodPrefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The monitors (synchronized blocks) platform thread {@code t} holds, from the platform
     * ThreadMXBean. The management API is reached reflectively because the module under test does
     * not read {@code java.management}.
     */
    static int lockedMonitors(Thread t) {
        try {
            Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
            Object bean = factory.getMethod("getThreadMXBean").invoke(null);
            Class<?> beanType = Class.forName("java.lang.management.ThreadMXBean");
            @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+
            long id = t.getId();
            Object[] infos = (Object[]) beanType.getMethod("getThreadInfo", long[].class, boolean.class, boolean.class)
                    .invoke(bean, new long[] {id}, true, true);
            Object info = infos[0];
            if (info == null) {
                throw new AssertionError(t + " has no ThreadInfo: has it ended?");
            }
            Class<?> infoType = Class.forName("java.lang.management.ThreadInfo");
            return ((Object[]) infoType.getMethod("getLockedMonitors").invoke(info)).length;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
