/**
 * Internal helpers shared by the primitives; not exported by {@code module-info}.
 *
 * <p><b>Accessor prefixes</b> (JCTools' convention, used in private methods throughout raceless):
 * {@code lv} volatile load, {@code lp} plain load, {@code so} release ("ordered") store,
 * {@code sv} volatile store, {@code cas} compare-and-set, {@code xadd} atomic get-and-add (a full
 * fence on every platform the JDK supports, and a synchronization action in the Java memory model).
 */
package dev.raceless.internal;
