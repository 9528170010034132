package io.dbbinding.db;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;

/**
 * A data source that hands out one open connection again and again, each time behind a proxy whose
 * {@code close()} does nothing: so that a whole migration run (preflight, Flyway's info and
 * migrate, the history read after it) uses one connection, and one backend of the database server,
 * instead of a new one per step. The owner closes the real connection.
 *
 * <p>Only for work that runs one step at a time on one thread, as a migration run does.
 */
public final class SharedConnection extends PlainDataSource {
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
