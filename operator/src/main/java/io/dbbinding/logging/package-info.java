/**
 * The logging set-up at start (level and format from the settings) and the encoder of JSON lines.
 *
 * <p>May use: config.
 */
package io.dbbinding.logging;
