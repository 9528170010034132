package io.dbbinding.config;

/**
 * A setting or a database URL that cannot be used. The message is one line that names the setting
 * and what is accepted; it never contains a password, so it can be printed as it is.
 */
public final class ConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }
}
