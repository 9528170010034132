package io.dbbinding.health;

/** Something a probe asks about. Implementations return within their own bound and never throw. */
@FunctionalInterface
public interface HealthCheck {
  CheckResult check();
}
