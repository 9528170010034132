package io.dbbinding.db;

/**
 * The root of the errors that dbbinding reports about a database. Messages are written for the
 * person who reads them: they carry no SQL text, no stack trace and never a credential, so they may
 * be returned in an HTTP body or a status condition as they are.
 */
public class DatabaseError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DatabaseError(String message) {
    super(message);
  }

  public DatabaseError(String message, Throwable cause) {
    super(message, cause);
  }
}
