/**
 * A module loader that follows the 2002 "raceless module interface" protocol: a request that finds
 * a module unloading never gets the dying instance; it waits until the instance's destroy has
 * returned and continues with one fresh instance. {@link dev.raceless.loader.PluginHost} puts real
 * plugin jars on top, each in its own class loader, closed after a grace period.
 */
package dev.raceless.loader;
