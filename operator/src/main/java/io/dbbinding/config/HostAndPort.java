package io.dbbinding.config;

/** One {@code host:port} of a database URL; IPv6 hosts are kept without their brackets. */
public record HostAndPort(String host, int port) {
  public static final int DEFAULT_PORT = 5432;

  /** The form used in URLs: IPv6 literals go back into brackets. */
  public String authority() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
