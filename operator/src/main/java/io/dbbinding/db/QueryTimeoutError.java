package io.dbbinding.db;

/** The database did not answer within the time allowed. */
public class QueryTimeoutError extends DatabaseConnectionError {
  private static final long serialVersionUID = 1L;

  public QueryTimeoutError(String message) {
    super(message);
  }

  public QueryTimeoutError(String message, Throwable cause) {
    super(message, cause);
  }
}
