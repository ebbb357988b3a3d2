package dev.raceless.loader;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test support: a module instance that notices calls it must never get. A call counts itself in
 * {@link #inCall} and then reads {@link #destroyBegan}; {@code destroy} writes
 * {@code destroyBegan} and then reads {@code inCall} (see {@link RecordingLifecycle}). Both are
 * volatile, so if a call and a destroy overlap at least one of them sees the other.
 */
final class TestModule {
    final String key;
    final int id;
    final RecordingLifecycle recorder;
    final AtomicInteger inCall = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger starts = new AtomicInteger();
    volatile boolean initialized;
    volatile boolean stopped;
    volatile boolean destroyBegan;
    volatile boolean destroyReturned;

    TestModule(String key, int id, RecordingLifecycle recorder) {
        this.key = key;
        this.id = id;
        this.recorder = recorder;
    }

    /** One call into the module; must run inside a use of its handle. Returns the instance id. */
    int call() {
        inCall.incrementAndGet();
        try {
            if (!initialized) {
                recorder.violation("call into " + this + " before its init returned");
            }
            if (destroyBegan) {
                recorder.violation("call into " + this + " after its destroy began");
            }
            calls.incrementAndGet();
            return id;
        } finally {
            inCall.decrementAndGet();
        }
    }

    @Override
    public String toString() {
        return key + "#" + id;
    }
}
