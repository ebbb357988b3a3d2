package dev.raceless.loader;

import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Watches the class loaders of unloaded plugins until they are collected: a future per retired
 * loader, completed by a {@link Cleaner} when the loader becomes phantom reachable; and, for a
 * loader still reachable after a configurable time, a {@link LeakScan} whose findings go to a
 * listener.
 */
final class UnloadWatch {
    /*
     * Implementation notes.
     *
     * One Cleaner (one daemon thread) for all hosts of the JVM, started on first use, and the
     * JDK's shared delay scheduler of CompletableFuture for the checks (batched: at most one scan
     * per check period, see Batch): a host owns no thread, so
     * dropping it without close() leaves none behind. Nothing registered here refers to the host
     * or strongly to the loader: the cleaning action completes a future, the check holds a
     * WeakReference (and a probe class through another one) and the listener.
     *
     * pending maps a plugin name to a future that completes when every loader of that name retired
     * so far has been collected (each retire chains allOf(previous, this one)); completed links
     * are not referenced by later ones, so the chain costs only the loaders still pending.
     */

    private static final Cleaner CLEANER = Cleaner.create();
    private static final CompletableFuture<Void> NONE = CompletableFuture.completedFuture(null);

    private final Duration checkAfter;
    private final BiConsumer<? super String, ? super List<LeakFinding>> listener;
    private final ConcurrentHashMap<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
    private final AtomicLong retired = new AtomicLong();
    private final AtomicLong collected = new AtomicLong();
    private final ConcurrentHashMap<Object, Retired> live = new ConcurrentHashMap<>();
    private final Batch batch;

    /** A retired loader, weakly. */
    private static final class Retired {
        final String plugin;
        final WeakReference<ClassLoader> loader;
        final WeakReference<Class<?>> probe;

        Retired(String plugin, ClassLoader loader, Class<?> probe) {
            this.plugin = plugin;
            this.loader = new WeakReference<>(loader);
            this.probe = new WeakReference<>(probe);
        }
    }

    UnloadWatch(Duration checkAfter, BiConsumer<? super String, ? super List<LeakFinding>> listener) {
        this.checkAfter = checkAfter;
        this.listener = listener;
        this.batch = new Batch(checkAfter, listener);
    }

    /** Watches a loader that was just closed; probe is a class it defined (for the JDBC scan). */
    void retire(String plugin, ClassLoader loader, Class<?> probe) {
        CompletableFuture<Void> gone = new CompletableFuture<>();
        Retired r = new Retired(plugin, loader, probe);
        Object token = new Object();
        live.put(token, r);
        retired.incrementAndGet();
        AtomicLong collectedCount = collected;
        ConcurrentHashMap<Object, Retired> liveMap = live;
        CLEANER.register(loader, () -> { // refers to neither the loader nor the host
            liveMap.remove(token);
            collectedCount.incrementAndGet();
            gone.complete(null);
        });
        pending.merge(plugin, gone,
                (previous, next) -> previous.isDone() ? next : CompletableFuture.allOf(previous, next));
        if (!checkAfter.isZero() && !checkAfter.isNegative()) {
            Batch b = batch;
            CompletableFuture.delayedExecutor(checkAfter.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
                if (!gone.isDone()) {
                    b.due(r);
                }
            });
        }
    }

    /**
     * The loaders whose check time has passed, scanned together at most once per check period:
     * a scan stops every thread for a moment (Thread.getAllStackTraces is a safepoint), so a host
     * that retires a loader every 50 ms must not scan every 50 ms. Refers to no host.
     */
    private static final class Batch {
        final Duration period;
        final BiConsumer<? super String, ? super List<LeakFinding>> to;
        final java.util.concurrent.ConcurrentLinkedQueue<Retired> due =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        final java.util.concurrent.atomic.AtomicBoolean scheduled = new java.util.concurrent.atomic.AtomicBoolean();
        volatile long lastScan = System.nanoTime() - Long.MAX_VALUE / 2;

        Batch(Duration period, BiConsumer<? super String, ? super List<LeakFinding>> to) {
            this.period = period;
            this.to = to;
        }

        void due(Retired r) {
            due.add(r);
            if (scheduled.compareAndSet(false, true)) {
                long wait = Math.max(0L, lastScan + period.toNanos() - System.nanoTime());
                CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS).execute(this::scan);
            }
        }

        private void scan() {
            lastScan = System.nanoTime();
            scheduled.set(false);
            java.util.Map<String, List<LeakFinding>> byPlugin = new java.util.TreeMap<>();
            for (Retired r; (r = due.poll()) != null; ) {
                ClassLoader l = r.loader.get();
                if (l != null) { // else collected; its cleaner runs soon
                    byPlugin.computeIfAbsent(r.plugin, k -> new java.util.ArrayList<>())
                            .addAll(LeakScan.scan(r.plugin, l, r.probe.get()));
                }
            }
            for (java.util.Map.Entry<String, List<LeakFinding>> e : byPlugin.entrySet()) {
                try {
                    to.accept(e.getKey(), e.getValue());
                } catch (RuntimeException | Error failure) {
                    System.getLogger("dev.raceless.loader")
                            .log(System.Logger.Level.WARNING, "a leak listener threw", failure);
                }
            }
        }
    }

    /** Completes when every loader of plugin retired so far has been collected. */
    CompletableFuture<Void> whenCollected(String plugin) {
        CompletableFuture<Void> f = pending.get(plugin);
        return f == null ? NONE : f.copy();
    }

    /** Completes when every loader retired so far has been collected. */
    CompletableFuture<Void> whenAllCollected() {
        return CompletableFuture.allOf(pending.values().toArray(new CompletableFuture<?>[0]));
    }

    /** Findings for every retired loader of plugin that is still reachable now. */
    List<LeakFinding> findLeaks(String plugin) {
        List<LeakFinding> all = new java.util.ArrayList<>();
        for (Retired r : live.values()) {
            if (!r.plugin.equals(plugin)) {
                continue;
            }
            ClassLoader l = r.loader.get();
            if (l != null) {
                all.addAll(LeakScan.scan(plugin, l, r.probe.get()));
            }
        }
        return all;
    }

    long retired() {
        return retired.get();
    }

    long collected() {
        return collected.get();
    }

    static void log(String plugin, List<LeakFinding> findings) {
        // no holder found is usually no GC yet: not worth a warning
        System.getLogger("dev.raceless.loader").log(
                findings.isEmpty() ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
                findings.isEmpty()
                ? "the class loader of unloaded plugin " + plugin + " is still reachable; no known holder found "
                        + "(perhaps no GC ran yet, or an object of the plugin's escaped into the host)"
                : "the class loader of unloaded plugin " + plugin + " is still reachable; likely holders: " + findings);
    }
}
