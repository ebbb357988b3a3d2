package dev.raceless.stress.loader;

import dev.raceless.grace.QuiescentDomain;
import dev.raceless.loader.Binding;
import dev.raceless.loader.ModuleLoader;

/**
 * The state every loader test races on, and the steps its actors and arbiter take, written once so
 * that a test, its variants and its broken twin differ only in the step they race: key "k" of a
 * three-point {@link ModuleLoader} over {@link Instances}, with instance #1 loaded before the race.
 *
 * <p>Each step returns what the test records: the result's name, or "THREW" and the exception's
 * simple name if a correct call threw (every test forbids it). jcstress never interrupts an
 * actor, so an InterruptedException is an error, not an outcome.
 */
final class LoadedKey {
    final Instances instances = new Instances();
    final ModuleLoader<String, Instances.Module> loader;

    private LoadedKey(QuiescentDomain domain) {
        loader = domain == null
                ? new ModuleLoader<>(instances, instances, ModuleLoader.Style.THREE_POINT)
                : new ModuleLoader<>(instances, instances, ModuleLoader.Style.THREE_POINT, (k, t) -> { }, domain);
        loader.acquire("k").release(); // #1 is loaded before the race
    }

    /** Key "k" of a loader whose destroys wait for nothing but the calls counted in flight. */
    static LoadedKey threePoint() {
        return new LoadedKey(null);
    }

    /**
     * Key "k" of a loader in quiescent mode: calls through a binding by an online reader of
     * {@code domain} take no use, and every destroy waits for a grace period of {@code domain}.
     */
    static LoadedKey quiescent(QuiescentDomain domain) {
        return new LoadedKey(domain);
    }

    /** A binding of "k" that has reached #1: its cached handle and count are #1's. */
    Binding<Instances.Module> warmBinding() {
        Binding<Instances.Module> binding = loader.bind("k");
        binding.acquire().release();
        return binding;
    }

    /** One request through the loader: see {@link Instances#request(ModuleLoader)}. */
    String request() {
        return Instances.request(loader);
    }

    /** {@code unload("k")}. */
    String unload() {
        return name(() -> loader.unload("k"));
    }

    /** {@code tryUnload("k")}. */
    String tryUnload() {
        return name(() -> loader.tryUnload("k"));
    }

    /** {@code reload("k")}. */
    String reload() {
        return name(() -> loader.reload("k"));
    }

    /** The arbiter's view: see {@link Instances#view(ModuleLoader)}. */
    String view() {
        return instances.view(loader);
    }

    /** A step of an actor that returns a result. */
    @FunctionalInterface
    private interface Step {
        Enum<?> run() throws InterruptedException;
    }

    private static String name(Step step) {
        try {
            return step.run().name();
        } catch (InterruptedException e) { // jcstress never interrupts an actor
            throw new AssertionError(e);
        } catch (RuntimeException e) {
            return "THREW " + e.getClass().getSimpleName();
        }
    }
}
