package dev.raceless.lincheck;

import org.junit.jupiter.api.Test;

/**
 * {@code UseCount} is a linearizable state machine up to the transients its Javadoc documents:
 * Lincheck's model checker, {@link UseCountOperations} against {@link UseCountSpec}.
 */
public class UseCountLincheckTest extends UseCountOperations {

    public UseCountLincheckTest() {
        super(useCount());
    }

    @Test
    void useCountIsALinearizableStateMachineUpToItsDocumentedTransients() {
        LincheckRuns.modelCheck(UseCountSpec.class).check(UseCountLincheckTest.class);
    }
}
