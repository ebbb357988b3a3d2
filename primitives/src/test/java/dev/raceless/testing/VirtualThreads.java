package dev.raceless.testing;

import java.lang.reflect.Method;

/**
 * Test helper: starts a virtual thread on JDK 21 and later. The tests compile for release 17, where
 * {@code Thread.ofVirtual()} does not exist, so it is called reflectively.
 */
public final class VirtualThreads {
    private VirtualThreads() {
    }

    /** Whether this JDK has virtual threads (final since JDK 21). */
    public static boolean supported() {
        return Runtime.version().feature() >= 21;
    }

    /** Starts {@code task} on a new virtual thread. Call only when {@link #supported()}. */
    public static Thread start(Runnable task) {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Method start = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
            return (Thread) start.invoke(builder, task);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("Thread.ofVirtual().start(task) failed on JDK " + Runtime.version(), e);
        }
    }

    /** Whether {@code t} is a virtual thread ({@code Thread.isVirtual()}, JDK 21+). */
    public static boolean isVirtual(Thread t) {
        if (!supported()) {
            return false;
        }
        try {
            return (Boolean) Thread.class.getMethod("isVirtual").invoke(t);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
