/**
 * The migration engine on Flyway ({@code Migrator}) over files or in-memory sources, its {@code
 * info} and {@code validate} reports, the preflight, lock time-outs and the sessions that block.
 *
 * <p>May use: config, db.
 */
package io.dbbinding.migrate;
