package io.dbbinding.db;

/** The database refused a value as invalid (HTTP 422). */
public class ValidationError extends DatabaseError {
  private static final long serialVersionUID = 1L;

  public ValidationError(String message) {
    super(message);
  }

  public ValidationError(String message, Throwable cause) {
    super(message, cause);
  }
}
