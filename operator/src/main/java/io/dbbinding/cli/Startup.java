package io.dbbinding.cli;

import java.time.Duration;
import java.time.Instant;

/** How long the process took to get here, for the {@code application.startup} event. */
final class Startup {
  private Startup() {}

  static long millisSinceProcessStart() {
    return ProcessHandle.current()
        .info()
        .startInstant()
        .map(start -> Duration.between(start, Instant.now()).toMillis())
        .orElse(-1L);
  }
}
