package dev.raceless.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/** Thread facts the release-17 class files cannot ask directly. */
public final class Threads {
    /** Thread::isVirtual on JDK 21+, a constant false before; a static final handle, so it inlines. */
    private static final MethodHandle IS_VIRTUAL;

    static {
        MethodHandle mh;
        try {
            mh = MethodHandles.publicLookup()
                    .findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) { // JDK 17 to 20: no virtual threads
            mh = MethodHandles.dropArguments(MethodHandles.constant(boolean.class, false), 0, Thread.class);
        }
        IS_VIRTUAL = mh;
    }

    private Threads() {
    }

    /** Whether {@code t} is a virtual thread. */
    public static boolean isVirtual(Thread t) {
        try {
            return (boolean) IS_VIRTUAL.invokeExact(t);
        } catch (Throwable e) {
            throw new AssertionError("Thread.isVirtual() cannot throw", e);
        }
    }
}
