/**
 * raceless: striped use counts and grace periods for unloading code while calls into it may be in
 * flight.
 *
 * <p>The API lives in {@code dev.raceless.refcount} ({@link dev.raceless.refcount.UseCount}) and
 * {@code dev.raceless.grace} ({@link dev.raceless.grace.GraceDomain}), {@code dev.raceless.registry}
 * and {@code dev.raceless.loader}; {@code dev.raceless.internal}
 * (stripe layout and VarHandle helpers) is not exported.
 */
module dev.raceless {
    requires jdk.jfr; // JFR events on slow paths (part of the JDK)

    exports dev.raceless.refcount;
    exports dev.raceless.grace;
    exports dev.raceless.registry;
    exports dev.raceless.loader;
    exports dev.raceless.internal.jfr to jdk.jfr;
}
