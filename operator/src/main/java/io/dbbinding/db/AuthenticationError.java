package io.dbbinding.db;

/** The database refused the credentials (wrong user or password). */
public class AuthenticationError extends DatabaseConnectionError {
  private static final long serialVersionUID = 1L;

  public AuthenticationError(String message) {
    super(message);
  }

  public AuthenticationError(String message, Throwable cause) {
    super(message, cause);
  }
}
