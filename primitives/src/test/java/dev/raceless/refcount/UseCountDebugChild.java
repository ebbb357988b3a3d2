package dev.raceless.refcount;

/**
 * Run by {@link UseCountDebugModeTest} in a child JVM with {@code -Ddev.raceless.refcount.debug=true}:
 * a release with no use held, a double release and a hand-off while no use is held each throw at
 * the faulty call and leave the count as it was. Plain {@code main}; exits non-zero at the first
 * failure.
 */
public final class UseCountDebugChild {
    static final String ALL_PASSED = "use-count debug checks passed";

    private UseCountDebugChild() {
    }

    public static void main(String[] args) throws Exception {
        check(Boolean.getBoolean(UseCount.DEBUG_PROPERTY), "the debug property is set");
        UseCount c = new UseCount();
        expectIse(c::release, "release() with no use held, on a LIVE count");
        check(c.estimate() == 0, "the refused release left the count alone: " + c);

        check(c.tryAcquire(), "tryAcquire");
        c.release();
        expectIse(c::release, "a double release");
        check(c.tryShutdown(), "after two refused releases the count shuts down idle: " + c);

        UseCount d = new UseCount();
        expectIse(d::retain, "a hand-off retain() while no use is held");
        check(d.tryAcquire(), "tryAcquire");
        d.retain(); // a real hand-off
        Thread other = new Thread(d::release); // the handed-on use ends on another thread: legal
        other.start();
        other.join();
        d.release();
        expectIse(d::release, "a third release of two uses");
        d.shutdown();
        check(d.state() == UseCount.State.DEAD, "shut down after the refused release: " + d);
        UseCount e = new UseCount();
        java.util.List<String> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        e.reportStalls(10, java.util.concurrent.TimeUnit.MILLISECONDS, reports::add);
        Thread holder = new Thread(() -> check(e.tryAcquire(), "holder's tryAcquire"), "the-holder");
        holder.start();
        holder.join();
        e.shutdown();
        check(!e.awaitTermination(200, java.util.concurrent.TimeUnit.MILLISECONDS), "the held use keeps it GOING");
        check(reports.size() == 1 && reports.get(0).contains("the-holder")
                        && reports.get(0).contains("UseCountDebugChild"),
                "the stall report names the holder thread and where it took the use: " + reports);

        UseCount f = new UseCount();
        f.shutdown();
        check(f.reopenAndAcquire(), "reopenAndAcquire");
        f.release(); // tracked: the use reopenAndAcquire took
        expectIse(f::release, "a second release after reopenAndAcquire");
        check(f.tryShutdown(), "the tracked use released, the refused one left no trace: " + f);
        System.out.println(ALL_PASSED);
    }

    private static void expectIse(Runnable r, String what) {
        try {
            r.run();
        } catch (IllegalStateException expected) {
            System.out.println("ok   " + what + ": " + expected.getMessage());
            return;
        }
        System.out.println("FAIL " + what + ": no IllegalStateException");
        System.exit(1);
    }

    private static void check(boolean ok, String what) {
        System.out.println((ok ? "ok   " : "FAIL ") + what);
        if (!ok) {
            System.exit(1);
        }
    }
}
