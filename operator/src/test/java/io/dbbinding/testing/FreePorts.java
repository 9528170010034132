package io.dbbinding.testing;

import java.io.IOException;
import java.net.ServerSocket;

/**
 * Ports for the servers that tests and benches start: the one place that asks the kernel for a free
 * one, so that every caller asks alike.
 */
public final class FreePorts {
  private FreePorts() {}

  /**
   * A TCP port nothing listens on now: the kernel's pick for a socket bound and closed at once.
   * Free until something else binds it, which is also what a test of "nothing listening there"
   * wants.
   */
  public static int any() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
