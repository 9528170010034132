package io.dbbinding.testing;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.config.HostAndPort;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy between dbbinding and PostgreSQL that can fail on demand: cut every connection and
 * refuse new ones (the database stopped), stall (accept and never answer: a host that drops
 * packets), add latency, or reset connections in the middle of a query. Loopback only.
 */
public final class FaultProxy implements AutoCloseable {
  private enum Mode {
    PASS,
    STALL
  }

  private final HostAndPort upstream;
  private final int port;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "fault-proxy");
            t.setDaemon(true);
            return t;
          });
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile Mode mode = Mode.PASS;
  private volatile Duration latency = Duration.ZERO;
  private volatile boolean holdServerSide;
  private volatile ServerSocket listener;

  public FaultProxy(HostAndPort upstream) throws IOException {
    this.upstream = upstream;
    this.listener = bind(0);
    this.port = listener.getLocalPort();
    accept(listener);
  }

  /** The URL of {@code database} through this proxy. */
  public DatabaseUrl route(DatabaseUrl database) {
    return new DatabaseUrl(
        List.of(new HostAndPort("127.0.0.1", port)),
        database.database(),
        database.user(),
        database.password(),
        database.parameters());
  }

  public int port() {
    return port;
  }

  public int connectionsAccepted() {
    return accepted.get();
  }

  /** Forward everything, immediately. Reopens the port if it was cut. */
  public synchronized void pass() throws IOException {
    mode = Mode.PASS;
    latency = Duration.ZERO;
    if (listener == null || listener.isClosed()) {
      listener = bind(port);
      accept(listener);
    }
  }

  /** The database stopped: every connection is cut, and new ones are refused. */
  public synchronized void cutAndRefuse() throws IOException {
    ServerSocket l = listener;
    listener = null;
    if (l != null) {
      l.close();
    }
    resetAll();
  }

  /** A host that drops packets: connections are accepted (or kept) but nothing is answered. */
  public void stall() {
    mode = Mode.STALL;
  }

  /**
   * A node lost with its client on it: when a client's side closes, the server's side is kept open,
   * so that PostgreSQL sees no disconnect and keeps the session (and its locks) until it writes to
   * it. Without this a killed client's kernel closes its socket and the server sees it at once.
   */
  public void holdServerSideWhenClientDies() {
    holdServerSide = true;
  }

  public void latency(Duration delay) {
    latency = delay;
  }

  /** Resets every open connection, as a crashing server or a middlebox would. */
  public void resetAll() {
    for (Socket s : sockets) {
      try {
        s.setSoLinger(true, 0);
        s.close();
      } catch (IOException e) {
        // already gone
      }
    }
    sockets.clear();
  }

  private static ServerSocket bind(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
    return s;
  }

  private void accept(ServerSocket l) {
    threads.execute(
        () -> {
          while (!l.isClosed()) {
            try {
              Socket client = l.accept();
              accepted.incrementAndGet();
              sockets.add(client);
              threads.execute(() -> connect(client));
            } catch (IOException e) {
              return;
            }
          }
        });
  }

  private void connect(Socket client) {
    try {
      while (mode == Mode.STALL && !client.isClosed()) {
        Thread.sleep(20);
      }
      Socket server = new Socket(upstream.host(), upstream.port());
      sockets.add(server);
      threads.execute(() -> pump(client, server, holdServerSide));
      pump(server, client, false);
    } catch (IOException | InterruptedException e) {
      close(client);
    }
  }

  /**
   * @param keepTo keep {@code to} open when {@code from} ends (see {@link
   *     #holdServerSideWhenClientDies})
   */
  private void pump(Socket from, Socket to, boolean keepTo) {
    byte[] buffer = new byte[8192];
    // Not try-with-resources: closing a socket's stream closes the socket, and with keepTo the
    // server's side must stay open.
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        while (mode == Mode.STALL && !from.isClosed()) {
          Thread.sleep(20);
        }
        Duration delay = latency;
        if (!delay.isZero()) {
          Thread.sleep(delay.toMillis());
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // one side closed or reset: close the other
    } finally {
      close(from);
      if (!keepTo) {
        close(to);
      }
    }
  }

  private void close(Socket s) {
    sockets.remove(s);
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    cutAndRefuse();
    threads.shutdownNow();
  }
}
