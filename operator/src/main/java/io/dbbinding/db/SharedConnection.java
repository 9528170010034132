package io.dbbinding.db;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that hands out one open connection again and again, each time behind a proxy whose
 * {@code close()} does nothing: so that a whole migration run (preflight, Flyway's info and
 * migrate, the history read after it) uses one connection, and one backend of the database server,
 * instead of a new one per step. The owner closes the real connection.
 *
 * <p>Only for work that runs one step at a time on one thread, as a migration run does.
 */
public final class SharedConnection implements DataSource {
  private final Connection connection;

  public SharedConnection(Connection connection) {
    this.connection = connection;
  }

  @Override
  public Connection getConnection() {
    InvocationHandler handler = new KeepOpen(connection);
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("a shared connection has its credentials already");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // No log writer: the driver logs through java.util.logging.
  }

  @Override
  public void setLoginTimeout(int seconds) {
    // The connection is open already.
  }

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no parent logger");
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("not a wrapper of " + type.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }

  /** Delegates everything but {@code close()}, which the borrower may call as often as it likes. */
  private record KeepOpen(Connection target) implements InvocationHandler {
    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "close":
          return null;
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "shared " + target;
        default:
          try {
            return method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
      }
    }
  }
}
