/**
 * Helpers that the tests and the benchmarks of bench/ share: databases, a Kubernetes API server,
 * processes of the CLI, free ports ({@code FreePorts}), the image's class paths ({@code
 * ImageClassPath}) and JVM flags ({@code ImageJvmOptions}) and what Linux says of a process ({@code
 * ProcessStatus}). One of each, so that a test and a bench measure alike.
 */
package io.dbbinding.testing;
