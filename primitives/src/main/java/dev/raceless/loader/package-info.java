/**
 * A module loader that follows the 2002 "raceless module interface" protocol: a request that finds
 * a module unloading (or reloading) never gets the dying instance; it waits until the instance's
 * destroy has returned and continues with one fresh instance. {@link dev.raceless.loader.PluginHost}
 * puts real plugin jars on top: each in its own class loader, its service taken from its own jar,
 * upgraded atomically for callers, its class loader and files closed before an unload or upgrade
 * returns, and its collection proven ({@code whenCollected}) or its likely holders named
 * ({@link dev.raceless.loader.LeakFinding}).
 */
package dev.raceless.loader;
