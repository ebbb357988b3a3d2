package dev.raceless.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The one place a field's {@link VarHandle} is looked up, so that each class's "VarHandle
 * mechanics" section is one line per field:
 * {@code private static final VarHandle STATE = VarHandles.field(MethodHandles.lookup(), "state", long.class);}
 */
public final class VarHandles {
    private VarHandles() {
    }

    /**
     * The VarHandle of an instance field of the lookup's class.
     *
     * @param lookup the caller's {@code MethodHandles.lookup()}: the field's class and the access to it
     * @param name the field's name
     * @param type the field's type
     * @return the handle
     * @throws ExceptionInInitializerError if the field does not exist (a bug, found at class load)
     */
    public static VarHandle field(MethodHandles.Lookup lookup, String name, Class<?> type) {
        return field(lookup, lookup.lookupClass(), name, type);
    }

    /**
     * The VarHandle of an instance field of {@code owner}, a class the lookup can reach.
     *
     * @param lookup the caller's {@code MethodHandles.lookup()}
     * @param owner the class that declares the field
     * @param name the field's name
     * @param type the field's type
     * @return the handle
     * @throws ExceptionInInitializerError if the field does not exist (a bug, found at class load)
     */
    public static VarHandle field(MethodHandles.Lookup lookup, Class<?> owner, String name, Class<?> type) {
        try {
            return lookup.findVarHandle(owner, name, type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
