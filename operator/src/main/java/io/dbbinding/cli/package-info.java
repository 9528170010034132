/**
 * The {@code dbbinding} command line (picocli) and the wiring of each role ({@code Main}, {@code
 * OperatorRuntime}): the one place that joins the other packages.
 *
 * <p>May use: everything.
 */
package io.dbbinding.cli;
