package io.dbbinding.db;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.Optional;

/** Turns driver and pool exceptions into the {@link DatabaseError} family. */
public final class SqlErrors {
  private SqlErrors() {}

  public static DatabaseError translate(SQLException e) {
    String state = sqlState(e).orElse("");
    String code = state.isEmpty() ? "" : " (SQLSTATE " + state + ")";
    if (state.equals("28P01") || state.equals("28000")) {
      return new AuthenticationError(
          "The database refused the credentials" + code + "; check the user and password", e);
    }
    if (state.equals("3D000")) {
      return new DatabaseConnectionError("The database named in the URL does not exist" + code, e);
    }
    if (state.startsWith("08") || state.equals("57P03") || state.startsWith("53")) {
      return new DatabaseConnectionError("The database cannot be reached" + code, e);
    }
    if (e instanceof SQLTimeoutException || state.equals("57014")) {
      return new QueryTimeoutError("The database did not answer in time" + code, e);
    }
    if (state.startsWith("23")) {
      return new IntegrityError("A database constraint was violated" + code, e);
    }
    if (state.startsWith("22")) {
      return new ValidationError("The database refused a value as invalid" + code, e);
    }
    if (state.equals("02000")) {
      return new NotFoundError("No such row" + code, e);
    }
    if (state.isEmpty()) {
      // Pool time-outs carry no SQLSTATE: HikariCP gave up waiting for a connection.
      return new DatabaseConnectionError("The database cannot be reached", e);
    }
    return new DatabaseError("The database reported an error" + code, e);
  }

  /** The first SQLSTATE in the cause chain: HikariCP wraps the driver's exception. */
  static Optional<String> sqlState(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        return Optional.of(s.getSQLState());
      }
    }
    return Optional.empty();
  }
}
