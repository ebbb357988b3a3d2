package dev.raceless.stress.loader;

import dev.raceless.loader.Binding;
import dev.raceless.loader.Lifecycle;
import dev.raceless.loader.ModuleLoader;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The module instances of the loader tests, with the checks their arbiters report: the factory
 * numbers instances 1, 2, ...; a call counts itself in {@code inCall} and then reads
 * {@code destroyed}; destroy writes {@code destroyed} and then reads {@code inCall} (both
 * volatile: if a call and a destroy overlap, at least one sees the other); init counts live
 * instances of the key (from the start of init until destroy returned) and notes two at once.
 */
final class Instances implements Function<String, Instances.Module>, Lifecycle<Instances.Module> {

    /** One instance of the module. */
    static final class Module {
        final int id;
        final AtomicInteger inCall = new AtomicInteger();
        volatile boolean destroyed;

        Module(int id) {
            this.id = id;
        }
    }

    private int made;                                // the factory runs under the loader's protocol
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger violations = new AtomicInteger();
    private volatile String firstViolation = "";

    @Override
    public Module apply(String key) {
        return new Module(++made);
    }

    @Override
    public void init(Module m) {
        if (live.incrementAndGet() != 1) {
            note("two live instances at init #" + m.id);
        }
    }

    @Override
    public void destroy(Module m) {
        m.destroyed = true; // then read inCall: pairs with call()
        if (m.inCall.get() != 0) {
            note("destroy #" + m.id + " under a call");
        }
        live.decrementAndGet();
    }

    /**
     * One request: acquire the key's instance, call it, release. Returns "<id>", or
     * "<id> DESTROYED" if the call found its instance destroyed, or "THREW ..." if a correct
     * call threw.
     */
    static String request(ModuleLoader<String, Module> loader) {
        return request(() -> loader.acquire("k"));
    }

    /** The same request through a binding of "k". */
    static String request(Binding<Module> binding) {
        return request(binding::acquire);
    }

    private static String request(Supplier<ModuleLoader.Handle<Module>> acquire) {
        ModuleLoader.Handle<Module> h;
        try {
            h = acquire.get();
        } catch (RuntimeException e) {
            return "THREW " + e.getClass().getSimpleName();
        }
        Module m = h.module();
        m.inCall.incrementAndGet(); // then read destroyed: pairs with destroy()
        boolean destroyed = m.destroyed;
        m.inCall.decrementAndGet();
        try {
            h.release();
        } catch (IllegalStateException e) {
            return m.id + " THREW";
        }
        return destroyed ? m.id + " DESTROYED" : String.valueOf(m.id);
    }

    /**
     * One call into {@code m} with no use held (a call from a reader of the loader's
     * QuiescentDomain): "<id>", or "<id> DESTROYED" if it found {@code m} destroyed, or
     * "DESTROYED (no module)" if the handle's module was already dropped (null).
     */
    static String use(Module m) {
        if (m == null) {
            return "DESTROYED (no module)";
        }
        m.inCall.incrementAndGet(); // then read destroyed: pairs with destroy()
        boolean destroyed = m.destroyed;
        m.inCall.decrementAndGet();
        return destroyed ? m.id + " DESTROYED" : String.valueOf(m.id);
    }

    /** The arbiter's view: "loaded #<id>" or "none", the live count, and any violation. */
    String view(ModuleLoader<String, Module> loader) {
        String loaded;
        ModuleLoader.Handle<Module> h = loader.tryAcquire("k");
        if (h != null) {
            loaded = "loaded #" + h.module().id;
            h.release();
        } else {
            loaded = "none";
        }
        return loaded + " live=" + live.get() + (violations.get() == 0 ? "" : " VIOLATION " + firstViolation);
    }

    private void note(String what) {
        if (violations.getAndIncrement() == 0) {
            firstViolation = what;
        }
    }
}
