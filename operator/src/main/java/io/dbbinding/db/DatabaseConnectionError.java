package io.dbbinding.db;

/** The database cannot be reached or refused the connection. */
public class DatabaseConnectionError extends DatabaseError {
  private static final long serialVersionUID = 1L;

  public DatabaseConnectionError(String message) {
    super(message);
  }

  public DatabaseConnectionError(String message, Throwable cause) {
    super(message, cause);
  }
}
