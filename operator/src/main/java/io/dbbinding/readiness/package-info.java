/**
 * The pod readiness gate {@code dbbinding.io/ready}: {@code ReadinessGateReconciler} sets it on
 * each labelled pod from its binding's status, as {@code GatePolicy} decides.
 *
 * <p>May use: binding.
 */
package io.dbbinding.readiness;
