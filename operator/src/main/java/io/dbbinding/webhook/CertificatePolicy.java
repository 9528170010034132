package io.dbbinding.webhook;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * How long the webhook's certificates live and when they are renewed: at {@code renewAfter} of
 * their lifetime, so a renewal that fails has a third of the lifetime left to be retried.
 *
 * @param caValidity lifetime of a new CA
 * @param servingValidity lifetime of a new serving certificate (never past its CA's)
 * @param renewAfter the fraction of the lifetime after which a certificate is replaced
 * @param checkInterval how often the leader looks at the Secret and the caBundle anyway
 */
public record CertificatePolicy(
    Duration caValidity, Duration servingValidity, double renewAfter, Duration checkInterval) {
  public CertificatePolicy {
    if (renewAfter <= 0 || renewAfter >= 1) {
      throw new IllegalArgumentException("renewAfter must be between 0 and 1");
    }
  }

  /** A CA for two years, serving certificates for 90 days, both renewed at two thirds. */
  public static CertificatePolicy defaults() {
    return new CertificatePolicy(
        Duration.ofDays(730), Duration.ofDays(90), 2.0 / 3, Duration.ofMinutes(1));
  }

  /** When {@code c} is due for renewal. */
  public Instant renewAt(X509Certificate c) {
    Instant from = c.getNotBefore().toInstant();
    long lifetime = c.getNotAfter().getTime() - c.getNotBefore().getTime();
    return from.plusMillis((long) (lifetime * renewAfter));
  }
}
