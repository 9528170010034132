/**
 * Settings, read once from the environment and a {@code .env} file (the only code that reads them),
 * the database URL with its parsing and masking, and the provider detected from it.
 *
 * <p>May use: nothing of ours.
 */
package io.dbbinding.config;
