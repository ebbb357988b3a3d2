package dev.raceless.lincheck;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;

/**
 * Test support: the model-checking budget shared by the Lincheck tests, sized for seconds per
 * test on a 2-core machine: two threads (the races here are two-party; a third thread multiplies
 * the interleavings), a few operations each, a bounded number of scenarios and interleavings.
 */
final class LincheckRuns {
    private LincheckRuns() {
    }

    static ModelCheckingOptions modelCheck(Class<?> specification) {
        return modelCheck(specification, 30, 1_000);
    }

    static ModelCheckingOptions modelCheck(Class<?> specification, int scenarios, int interleavings) {
        return new ModelCheckingOptions()
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(0)
                .actorsAfter(0)
                .iterations(scenarios)
                .invocationsPerIteration(interleavings)
                .sequentialSpecification(specification);
    }
}
