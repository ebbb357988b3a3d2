/**
 * Registries whose registrations deregister without races: a subsystem calls registered services
 * on its hot path with no lock, and a module takes its services back either without blocking
 * ({@code tryDeregister}: all or nothing, BUSY leaves everything as it was), within a timeout,
 * blocking, or asynchronously; a {@link dev.raceless.registry.RegistrationGroup} does the same for
 * all of a module's registrations across registries at once.
 */
package dev.raceless.registry;
