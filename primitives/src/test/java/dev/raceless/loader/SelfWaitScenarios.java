package dev.raceless.loader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Test support: a blocking unload, upgrade or reload called by a thread that holds a use of the
 * instance, which would wait for itself. Each scenario ends with the documented result (an
 * {@link IllegalStateException} whose message says so, nothing changed) or throws
 * {@link AssertionError}. No JUnit here: {@link SelfWaitDebugChild} runs them in a child JVM with
 * debug mode, {@link SelfWaitTest} in the test JVM without it; both under a watchdog of 1 s.
 */
final class SelfWaitScenarios {
    private SelfWaitScenarios() {
    }

    /** A host serving plugin "hello" (version 1 in dir/hello.jar); dir/hello-2.jar holds version 2. */
    static PluginHost<PluginService> host(Path dir) throws Exception {
        PluginJars.build(dir.resolve("hello.jar"), "hello", "v1", true);
        PluginJars.build(dir.resolve("hello-2.jar"), "hi", "v2", true);
        PluginHost<PluginService> host = new PluginHost<>(PluginService.class, n -> dir.resolve(n + ".jar"));
        check("hello x v1".equals(host.call("hello", s -> s.greet("x"))), "version 1 serves");
        return host;
    }

    /** unload("hello") from inside a call to hello. */
    static void selfUnload(PluginHost<PluginService> host) {
        String m = host.call("hello", s -> refused(() -> host.unload("hello")));
        check(m.startsWith("plugin hello: unload(hello) was called by a thread that holds a use of plugin hello "
                + "(from inside a call to it)"), m);
        check("hello x v1".equals(host.call("hello", s -> s.greet("x"))), "hello still serves, unchanged");
    }

    /** upgrade("hello", v2) from inside a call to hello, through a binding; then from outside it. */
    static void selfUpgrade(PluginHost<PluginService> host, Path dir) throws Exception {
        PluginBinding<PluginService> hello = host.bind("hello");
        String m = hello.call(s -> refused(() -> host.upgrade("hello", dir.resolve("hello-2.jar"))));
        check(m.startsWith("plugin hello: upgrade(hello) was called by a thread that holds a use"), m);
        check("hello x v1".equals(hello.call(s -> s.greet("x"))), "version 1 serves on: nothing was changed");
        check(host.upgrade("hello", dir.resolve("hello-2.jar")) == ReloadResult.RELOADED, "upgrade from outside");
        check("hi x v2".equals(hello.call(s -> s.greet("x"))), "the binding reaches version 2");
    }

    /**
     * From inside a call, a thread the plugin starts (it inherits the plugin's context class
     * loader, but holds no use) upgrades the plugin: not refused, it waits for the call to end.
     */
    static void upgradeByAThreadThePluginStarted(PluginHost<PluginService> host, Path dir) throws Exception {
        CompletableFuture<ReloadResult> upgraded = host.call("hello", s -> {
            CompletableFuture<ReloadResult> f = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    f.complete(host.upgrade("hello", dir.resolve("hello-2.jar")));
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            }, "started-by-the-plugin");
            t.start();
            return f;
        });
        check(upgraded.get() == ReloadResult.RELOADED, "the plugin's own thread upgraded it");
        check("hi x v2".equals(host.call("hello", s -> s.greet("x"))), "version 2 serves");
    }

    /**
     * Another thread's unload waits for this thread's call; this thread's own unload meets that
     * attempt: refused, instead of each waiting for the other. The other unload then finishes.
     */
    static void selfUnloadWhileAnotherUnloadWaits(PluginHost<PluginService> host) throws Exception {
        AtomicReference<Thread> other = new AtomicReference<>();
        CompletableFuture<UnloadResult> theirs = new CompletableFuture<>();
        String m = host.call("hello", s -> {
            Thread t = new Thread(() -> {
                try {
                    theirs.complete(host.unload("hello"));
                } catch (Throwable e) {
                    theirs.completeExceptionally(e);
                }
            }, "other-unloader");
            other.set(t);
            t.start();
            while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
                LockSupport.parkNanos(100_000); // until it waits for this call
            }
            return refused(() -> host.unload("hello"));
        });
        check(m.startsWith("plugin hello: unload(hello) was called by a thread that holds a use"), m);
        check(theirs.get() == UnloadResult.UNLOADED, "the other unload finished once the call returned");
    }

    /** Debug mode only: a raw ModuleLoader handle held by the thread that unloads or reloads. */
    static void rawHandleHeldByTheUnloadingThread() throws Exception {
        ModuleLoader<String, Object> loader = new ModuleLoader<>(k -> new Object(), new Lifecycle<>() {
        }, ModuleLoader.Style.THREE_POINT);
        ModuleLoader.Handle<Object> h = loader.acquire("a");
        String m = refused(() -> loader.unload("a"));
        check(m.startsWith("module a: unload(a) was called by a thread that holds a use of module a (a Handle not "
                + "yet released, or a call in progress)"), m);
        String r = refused(() -> loader.reload("a"));
        check(r.startsWith("module a: reload(a) was called"), r);
        String b = loader.bind("a").call(x -> refused(() -> loader.unload("a")));
        check(b.startsWith("module a: unload(a) was called"), b);
        h.release();
        check(loader.unload("a") == UnloadResult.UNLOADED, "once released, the unload goes through");
    }

    /** Runs {@code body} on a thread of its own; fails if it has not ended within 1 s (a watchdog). */
    static void within1s(String what, ThrowingRunnable body) throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
                f.complete(null);
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, what);
        t.setDaemon(true);
        t.start();
        t.join(1000);
        if (t.isAlive()) {
            StringBuilder stack = new StringBuilder();
            for (StackTraceElement e : t.getStackTrace()) {
                stack.append("\n\tat ").append(e);
            }
            throw new AssertionError(what + " did not end within the 1 s watchdog:" + stack);
        }
        try {
            f.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        }
    }

    /** A body that may throw. */
    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static String refused(ThrowingRunnable blocking) {
        try {
            blocking.run();
        } catch (IllegalStateException e) {
            return e.getMessage();
        } catch (Exception e) {
            throw new AssertionError("expected an IllegalStateException, got " + e, e);
        }
        throw new AssertionError("expected an IllegalStateException, the call returned");
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    static Path tempDir() throws Exception {
        return Files.createTempDirectory("self-wait");
    }
}
