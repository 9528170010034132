/**
 * The sidecar: its health checks, their coalescing and cache, the HTTP server and its routes
 * ({@code HealthEndpoints}). It starts without the operator's packages, the Kubernetes client or
 * Flyway.
 *
 * <p>May use: config, db, migrate.
 *
 * <p>Must not use: io.fabric8, io.javaoperatorsdk, org.flywaydb.
 */
package io.dbbinding.health;
