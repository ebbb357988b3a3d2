package dev.raceless.grace;

import java.util.concurrent.TimeUnit;

/**
 * Run by {@link DebugModeTest} in a child JVM with {@code -Ddev.raceless.grace.debug=true}: checks
 * that a thread inside a section of a domain cannot call synchronize(), its timed and try
 * variants, or barrier() on it, that the check is per thread and per domain, and that exit()
 * catches a token used twice. Prints each check; exits non-zero at the first failure. Plain
 * {@code main}, no JUnit: the child's class path holds only the module and the test classes.
 */
public final class DebugModeChild {
    static final String ALL_PASSED = "debug-mode checks passed";

    private DebugModeChild() {
    }

    public static void main(String[] args) throws Exception {
        check(Boolean.getBoolean(GraceDomain.DEBUG_PROPERTY), "the debug property is set");
        if (args.length > 0 && args[0].equals("known-issues")) {
            knownIssues(); // prints ok/FAIL per case; DebugModeTest#cornerCases looks for FAIL
            return;
        }
        GraceDomain d = new GraceDomain();
        GraceDomain other = new GraceDomain();

        int t = d.enter();
        expectIse(d::synchronize, "synchronize() inside own section");
        expectIse(() -> d.trySynchronize(1, TimeUnit.SECONDS), "synchronize(timeout) inside own section");
        expectIse(() -> check(d.trySynchronize(), "unreachable"), "trySynchronize() inside own section");
        expectIse(d::barrier, "barrier() inside own section");
        check(other.trySynchronize(), "another domain's synchronize is allowed inside a section of d");
        other.synchronize();

        int nested = d.enter();
        d.exit(nested);
        expectIse(d::synchronize, "synchronize() after the inner of two nested sections ended");
        d.exit(t);
        d.synchronize();
        check(d.trySynchronize(), "trySynchronize() after the section ended");
        d.barrier();

        // A section open on another thread is not this thread's: the call waits or fails as a value.
        int[] token = new int[1];
        Thread reader = new Thread(() -> token[0] = d.enter());
        reader.start();
        reader.join();
        check(!d.trySynchronize(0, TimeUnit.NANOSECONDS), "timed synchronize with another thread's section open");
        check(!d.trySynchronize(), "trySynchronize with another thread's section open");
        d.exit(token[0]); // ended on this thread: legal
        check(d.trySynchronize(), "trySynchronize after the other thread's section ended here");

        int once = d.enter();
        d.exit(once);
        expectIae(() -> d.exit(once), "exit() with a token whose section already ended");
        expectIae(() -> d.exit(once ^ 4), "exit() with a forged token");
        check(d.trySynchronize(), "a refused exit left the counts alone");

        d.callAfterGrace(() -> { });
        d.close();
        System.out.println(ALL_PASSED);
    }

    /**
     * Four corner cases of the debug mode that were once wrong (see DebugModeTest#cornerCases):
     * each check states what must happen and prints ok or FAIL.
     */
    private static void knownIssues() throws Exception {
        // 1. The index bit of a debug token is not checked: exit(t ^ 1) ends t's section on the
        //    wrong index, and every later grace period waits forever.
        GraceDomain a = new GraceDomain();
        int t = a.enter();
        try {
            a.exit(t ^ 1);
            System.out.println("FAIL exit(t ^ 1) accepted for an open section t; synchronize(100 ms) now returns "
                    + a.trySynchronize(100, TimeUnit.MILLISECONDS) + " forever");
        } catch (IllegalArgumentException expected) {
            System.out.println("ok   exit(t ^ 1) refused");
            a.exit(t);
        }

        // 2. A section handed to another thread is charged to the thread that entered it (the
        //    documented debug-mode rule, docs/grace-domain.md "Self-deadlock"): that thread's
        //    synchronize() is refused while the section is open, and allowed once it has ended.
        GraceDomain b = new GraceDomain();
        int handed = b.enter();
        try {
            b.synchronize();
            System.out.println("FAIL synchronize() with a section this thread entered and handed on still open: "
                    + "accepted");
        } catch (IllegalStateException e) {
            System.out.println("ok   synchronize() refused while the handed-on section is open: " + e.getMessage());
        }
        Thread other = new Thread(() -> b.exit(handed), "section-ender"); // ended there, as the contract allows
        other.start();
        other.join();
        try {
            b.synchronize();
            System.out.println("ok   synchronize() after the other thread ended the handed-on section");
        } catch (IllegalStateException e) {
            System.out.println("FAIL synchronize() after the other thread ended the handed-on section: "
                    + e.getMessage());
        }

        // 3. The same from a deferred action: the action thread's next synchronize() throws out of
        //    runActions(), the action thread dies, later actions never run and barrier() hangs.
        GraceDomain c = new GraceDomain();
        java.util.concurrent.SynchronousQueue<Integer> tokens = new java.util.concurrent.SynchronousQueue<>();
        c.callAfterGrace(() -> {
            try {
                tokens.put(c.enter()); // hand the section to the main thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        int fromAction = tokens.take();
        java.util.concurrent.CountDownLatch later = new java.util.concurrent.CountDownLatch(1);
        c.callAfterGrace(later::countDown);
        Thread.sleep(100);
        c.exit(fromAction);
        System.out.println((later.await(5, TimeUnit.SECONDS) ? "ok  " : "FAIL")
                + " an action queued after a deferred action handed off a section ran");

        // 4. close() waits for the queued actions, which wait for a grace period: called inside a
        //    section of the same domain it waits for itself, like barrier(), but is not checked.
        GraceDomain e = new GraceDomain();
        java.util.concurrent.atomic.AtomicReference<Object> outcome =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread closer = new Thread(() -> {
            int own = e.enter();
            e.callAfterGrace(() -> { });
            try {
                e.close();
                outcome.set("returned");
            } catch (Throwable thrown) {
                outcome.set(thrown);
            }
            e.exit(own);
        });
        closer.setDaemon(true); // stays stuck if close() deadlocks
        closer.start();
        closer.join(2000);
        Object o = outcome.get();
        System.out.println((o instanceof IllegalStateException ? "ok  " : "FAIL")
                + " close() inside own section with an action queued: " + (o == null ? "deadlocked" : o));
    }

    interface Call {
        void run() throws Exception;
    }

    private static void expectIse(Call c, String what) {
        expect(c, IllegalStateException.class, what);
    }

    private static void expectIae(Runnable r, String what) {
        expect(r::run, IllegalArgumentException.class, what);
    }

    private static void expect(Call c, Class<? extends Throwable> type, String what) {
        try {
            c.run();
            fail(what + ": no " + type.getSimpleName());
        } catch (Throwable e) {
            if (!type.isInstance(e)) {
                e.printStackTrace(System.out);
                fail(what + ": threw " + e + " instead of " + type.getSimpleName());
            }
            System.out.println("ok   " + what + ": " + e.getMessage());
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            fail(what);
        }
        System.out.println("ok   " + what);
    }

    private static void fail(String what) {
        System.out.println("FAIL " + what);
        System.exit(1);
    }
}
