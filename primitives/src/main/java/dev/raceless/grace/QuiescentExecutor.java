package dev.raceless.grace;

import dev.raceless.internal.Threads;

import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ThreadPoolExecutor} whose workers are readers of a {@link QuiescentDomain}: every task
 * reads the domain's published objects with no call and no fence, and the pool reports the
 * quiescent states. A worker registers when it starts, reports a quiescent state each time it
 * returns to the queue for its next task, stays offline while it waits for one, and unregisters
 * when it ends (a task that throws ends its worker: the worker unregisters on the way out).
 *
 * <p><b>What a task may not do.</b> Keep a reference read from the domain past its own end (in a
 * field, a queue, another task, a future's result) without another protection: once the worker
 * is back at the queue the object may be freed. A reference that must outlive the task is taken
 * under a {@link dev.raceless.refcount.UseCount} (acquired inside the task, released by whoever
 * ends the use). A task that blocks for long (I/O, a lock, a sleep) holds every grace period of
 * the domain while it blocks: it goes offline around the blocking call, holding no reference
 * across it, through {@code domain.reader().offline()} and {@code online()}, and leaves the worker
 * online when it ends. A task that calls {@code synchronize()} on the domain goes offline for the
 * wait (see {@link QuiescentDomain}). A task must not throw an exception that refers to an object
 * read from the domain: the worker unregisters before the uncaught-exception handler sees it.
 *
 * <p><b>Rejected tasks.</b> Only tasks run by the workers are protected. A rejection handler that
 * runs the task on the submitting thread ({@link ThreadPoolExecutor.CallerRunsPolicy}) runs it
 * outside the domain unless that thread is itself a registered, online reader of it.
 *
 * <p><b>Threads.</b> Workers are made by the given {@link ThreadFactory} and must be platform
 * threads: a factory that returns a virtual thread makes {@code execute} throw
 * {@link IllegalArgumentException}. {@link #getQueue()} returns a view of the given queue that
 * marks the waits; tasks are held by the given queue.
 *
 * <p><b>Memory consistency effects.</b> Those of {@link ThreadPoolExecutor}, and: actions of a
 * task happen-before the return of every {@code synchronize()} of the domain that began while the
 * task ran; actions prior to a {@code synchronize()} happen-before every task that starts after it
 * returned, on any worker.
 */
public class QuiescentExecutor extends ThreadPoolExecutor {
    /*
     * Implementation notes.
     *
     * Where the pool reports: in the work queue, not in beforeExecute/afterExecute. A worker asks
     * the queue for its next task exactly when it holds nothing from the last one (after
     * afterExecute), so the queue's take()/poll(timeout) is the quiescent point; it then tries a
     * non-blocking poll() first and goes offline only when it would block. Tasks that follow each
     * other cost one thread-local lookup and one quiescent() (a load and a compare): no fence per
     * task. beforeExecute(online) with afterExecute(offline) was the other design: two stores per
     * task, one of them a full fence in the FENCED read side, for a state (offline between two
     * queued tasks) that no grace period needs. Going offline only around a wait that may block
     * puts the fence where the worker parks anyway.
     *
     * The queue view (IdleOfflineQueue) delegates everything to the given queue; only take() and
     * poll(timeout, unit), which ThreadPoolExecutor calls on worker threads only, report. A call
     * from a thread not registered with the domain goes straight to the queue.
     *
     * The thread factory wraps the worker's Runnable: register, run, unregister in finally, so a
     * worker that ends for any reason (keep-alive timeout, shutdown, a task that threw) goes
     * offline for good; a worker that is killed some other way counts as offline once dead.
     */

    private final QuiescentDomain domain;

    /**
     * Creates a pool whose workers are readers of {@code domain}; the arguments are
     * {@link ThreadPoolExecutor}'s, with {@link Executors#defaultThreadFactory()} and the default
     * rejection policy (abort).
     *
     * @param domain the domain the workers read
     * @param corePoolSize see {@link ThreadPoolExecutor}
     * @param maximumPoolSize see {@link ThreadPoolExecutor}
     * @param keepAliveTime see {@link ThreadPoolExecutor}
     * @param unit see {@link ThreadPoolExecutor}
     * @param workQueue holds the tasks; the pool sees it through a view that marks the waits
     */
    public QuiescentExecutor(QuiescentDomain domain, int corePoolSize, int maximumPoolSize, long keepAliveTime,
                             TimeUnit unit, BlockingQueue<Runnable> workQueue) {
        this(domain, corePoolSize, maximumPoolSize, keepAliveTime, unit, workQueue, Executors.defaultThreadFactory(),
                new AbortPolicy());
    }

    /**
     * Creates a pool whose workers are readers of {@code domain}; the arguments are
     * {@link ThreadPoolExecutor}'s.
     *
     * @param domain the domain the workers read
     * @param corePoolSize see {@link ThreadPoolExecutor}
     * @param maximumPoolSize see {@link ThreadPoolExecutor}
     * @param keepAliveTime see {@link ThreadPoolExecutor}
     * @param unit see {@link ThreadPoolExecutor}
     * @param workQueue holds the tasks; the pool sees it through a view that marks the waits
     * @param threadFactory makes the workers: platform threads only
     * @param handler see {@link ThreadPoolExecutor}
     */
    public QuiescentExecutor(QuiescentDomain domain, int corePoolSize, int maximumPoolSize, long keepAliveTime,
                             TimeUnit unit, BlockingQueue<Runnable> workQueue, ThreadFactory threadFactory,
                             RejectedExecutionHandler handler) {
        super(corePoolSize, maximumPoolSize, keepAliveTime, unit,
                new IdleOfflineQueue(Objects.requireNonNull(domain, "domain"),
                        Objects.requireNonNull(workQueue, "workQueue")),
                registering(domain, Objects.requireNonNull(threadFactory, "threadFactory")), handler);
        this.domain = domain;
    }

    /**
     * The domain the workers read.
     *
     * @return the domain
     */
    public QuiescentDomain domain() {
        return domain;
    }

    /**
     * Sets the factory of new workers; they are registered with the domain as with the factory
     * given at construction.
     *
     * @param threadFactory makes the workers: platform threads only
     */
    @Override
    public void setThreadFactory(ThreadFactory threadFactory) {
        super.setThreadFactory(registering(domain, Objects.requireNonNull(threadFactory, "threadFactory")));
    }

    @Override
    public String toString() {
        return super.toString() + "[reading " + domain + "]";
    }

    /** A factory whose threads register with {@code domain} for the length of their run. */
    private static ThreadFactory registering(QuiescentDomain domain, ThreadFactory base) {
        return worker -> {
            Thread t = base.newThread(() -> {
                QuiescentDomain.Reader reader = domain.register();
                try {
                    worker.run();
                } finally {
                    reader.unregister();
                }
            });
            if (t != null && Threads.isVirtual(t)) {
                throw new IllegalArgumentException("the thread factory of a QuiescentExecutor returned virtual thread "
                        + t + ": its workers must be platform threads (a virtual thread cannot register with a "
                        + "QuiescentDomain; run virtual-thread readers with a GraceDomain)");
            }
            return t;
        };
    }

    /**
     * The pool's view of its work queue: a worker's take() and poll(timeout) report a quiescent
     * state and go offline only when they would block. Everything else is the queue's own.
     */
    static final class IdleOfflineQueue extends AbstractQueue<Runnable> implements BlockingQueue<Runnable> {
        /** The {@code next} argument of take(): wait with no timeout. */
        private static final long TAKE = -1L;
        private final QuiescentDomain domain;
        private final BlockingQueue<Runnable> queue;

        IdleOfflineQueue(QuiescentDomain domain, BlockingQueue<Runnable> queue) {
            this.domain = domain;
            this.queue = queue;
        }

        @Override
        public Runnable take() throws InterruptedException {
            return next(TAKE);
        }

        @Override
        public Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
            return next(Math.max(0L, unit.toNanos(timeout))); // a negative timeout waits not at all, as 0
        }

        /**
         * A worker's wait for its next task: a quiescent state (the last task has ended, so the
         * worker holds nothing from it), then a poll() that never blocks, then, offline, the
         * blocking wait: take() if {@code nanos} is {@link #TAKE}, else poll(nanos). A thread that
         * is not an online reader of the domain just waits. (A timeout rather than a lambda for
         * the wait: a bound method reference per wait would be an allocation per task.)
         */
        private Runnable next(long nanos) throws InterruptedException {
            QuiescentDomain.Reader r = domain.reader();
            if (r == null || !r.isOnline()) {
                return await(nanos);
            }
            r.quiescent();
            Runnable task = queue.poll();
            if (task != null) {
                return task;
            }
            r.offline(); // about to block: grace periods stop waiting for this worker
            try {
                return await(nanos);
            } finally {
                r.online();
            }
        }

        /** take(), or poll(nanos) of the given queue. */
        private Runnable await(long nanos) throws InterruptedException {
            return nanos == TAKE ? queue.take() : queue.poll(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public boolean offer(Runnable task) {
            return queue.offer(task);
        }

        @Override
        public void put(Runnable task) throws InterruptedException {
            queue.put(task);
        }

        @Override
        public boolean offer(Runnable task, long timeout, TimeUnit unit) throws InterruptedException {
            return queue.offer(task, timeout, unit);
        }

        @Override
        public Runnable poll() {
            return queue.poll();
        }

        @Override
        public Runnable peek() {
            return queue.peek();
        }

        @Override
        public int remainingCapacity() {
            return queue.remainingCapacity();
        }

        @Override
        public boolean remove(Object o) {
            return queue.remove(o);
        }

        @Override
        public boolean contains(Object o) {
            return queue.contains(o);
        }

        @Override
        public int drainTo(Collection<? super Runnable> c) {
            return queue.drainTo(c);
        }

        @Override
        public int drainTo(Collection<? super Runnable> c, int maxElements) {
            return queue.drainTo(c, maxElements);
        }

        @Override
        public Iterator<Runnable> iterator() {
            return queue.iterator();
        }

        @Override
        public int size() {
            return queue.size();
        }

        @Override
        public boolean isEmpty() {
            return queue.isEmpty();
        }

        @Override
        public Object[] toArray() {
            return queue.toArray();
        }

        @Override
        public <T> T[] toArray(T[] a) {
            return queue.toArray(a);
        }

        @Override
        public String toString() {
            return queue.toString();
        }
    }
}
