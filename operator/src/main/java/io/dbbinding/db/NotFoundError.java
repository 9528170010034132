package io.dbbinding.db;

/** What was asked for does not exist (HTTP 404). */
public class NotFoundError extends DatabaseError {
  private static final long serialVersionUID = 1L;

  public NotFoundError(String message) {
    super(message);
  }

  public NotFoundError(String message, Throwable cause) {
    super(message, cause);
  }
}
