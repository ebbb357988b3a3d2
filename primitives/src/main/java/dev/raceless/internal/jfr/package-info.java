/**
 * JFR events of raceless (category "raceless"), emitted on slow paths only: grace periods, shutdown
 * to termination, stalls, failed deferred actions, deregistrations, module unloads and upgrades.
 * Not exported, except to {@code jdk.jfr}, which reads the event classes.
 */
package dev.raceless.internal.jfr;
