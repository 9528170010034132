package io.dbbinding.db;

import java.time.Duration;

/**
 * How the sidecar's pool behaves.
 *
 * @param size most connections held (a sidecar runs in every pod: keep it small)
 * @param connectTimeout longest wait for a connection or a check
 */
public record PoolSettings(int size, Duration connectTimeout) {
  public PoolSettings {
    if (size < 1) {
      throw new IllegalArgumentException("pool size must be at least 1");
    }
  }
}
