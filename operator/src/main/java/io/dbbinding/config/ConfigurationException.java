package io.dbbinding.config;

import java.io.IOException;

/**
 * A setting or a database URL that cannot be used. The message is one line that names the setting
 * and what is accepted; it never contains a password, so it can be printed as it is.
 */
public final class ConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }

  /**
   * A port a server could not listen on: almost always its setting's fault (another process has the
   * port, or it is not ours to take).
   *
   * @param setting the setting that chose the port, named in the message
   */
  public static ConfigurationException cannotListen(int port, IOException cause, String setting) {
    return new ConfigurationException(
        "cannot listen on port "
            + port
            + " ("
            + cause.getMessage()
            + "); set "
            + setting
            + " to a free port");
  }
}
