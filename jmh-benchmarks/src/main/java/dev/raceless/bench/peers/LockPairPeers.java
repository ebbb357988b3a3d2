package dev.raceless.bench.peers;

import org.openjdk.jmh.annotations.Benchmark;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.StampedLock;

/**
 * {@link UsePairPeers} plus the two JDK read locks measured as peers of a use pair or a read-side
 * section: {@code ReentrantReadWriteLock}'s read lock ({@code tryLock()} / {@code unlock()}) and
 * {@code StampedLock} ({@code tryReadLock()} / {@code unlockRead(stamp)}). The subclass's
 * {@code @Setup} creates them.
 */
public abstract class LockPairPeers extends UsePairPeers {

    protected Lock rwReadLock;
    protected StampedLock stamped;

    @Benchmark
    public boolean rwLockRead() {
        Lock r = rwReadLock;
        if (!r.tryLock()) {
            return false;
        }
        r.unlock();
        return true;
    }

    @Benchmark
    public boolean stampedRead() {
        StampedLock l = stamped;
        long stamp = l.tryReadLock();
        if (stamp == 0L) {
            return false;
        }
        l.unlockRead(stamp);
        return true;
    }
}
