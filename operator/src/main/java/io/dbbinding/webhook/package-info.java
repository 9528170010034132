/**
 * The admission webhook that adds the readiness gate to labelled pods ({@code GateInjection}), its
 * HTTPS server, and the certificates and caBundle it keeps.
 *
 * <p>May use: config, readiness.
 */
package io.dbbinding.webhook;
