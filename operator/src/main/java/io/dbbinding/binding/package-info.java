/**
 * The {@code DatabaseBinding} resource and its reconciler: one observation of the binding's
 * database and migrations per pass, the next status made from it ({@code BindingStatuses}), and the
 * binding's conditions, Events and metrics. See docs/architecture.md for the flow.
 *
 * <p>May use: config, db, migrate, lint.
 */
package io.dbbinding.binding;
