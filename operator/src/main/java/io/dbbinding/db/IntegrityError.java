package io.dbbinding.db;

/** A constraint of the database was violated. */
public class IntegrityError extends DatabaseError {
  private static final long serialVersionUID = 1L;

  public IntegrityError(String message) {
    super(message);
  }

  public IntegrityError(String message, Throwable cause) {
    super(message, cause);
  }
}
