package io.dbbinding.health;

import com.sun.net.httpserver.HttpServer;
import io.dbbinding.config.ConfigurationException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The JDK HTTP server around {@link HttpApi}, each exchange on a virtual thread (see {@link
 * ExchangeExecutor}): a client that sends its request slowly parks a virtual thread rather than
 * holding a worker, so a probe on a new connection is answered at once however many such clients
 * there are, and the number of exchanges at once is bounded, so memory is too.
 */
public final class HealthServer implements AutoCloseable {
  /**
   * Connections the kernel queues before the dispatcher accepts them. When it overflows, Linux
   * drops the SYN and the client retries a second later, past a probe's time-out: a thousand idle
   * clients that the server drops at the same tick and that reconnect at once overflowed 128.
   */
  private static final int BACKLOG = 1024;

  static final int MAX_REQUEST_SECONDS = 5;

  /** What a slow client's exchange holds: the server's read buffers and the parked thread. */
  private static final long EXCHANGE_BYTES = 40 * 1024;

  /** The heap the rest of the process needs; measured at about 7 MiB live for the sidecar. */
  private static final long RESERVED_HEAP = 12L * 1024 * 1024;

  /**
   * Exchanges at once for a heap of {@code maxHeap} bytes: what fits beside the rest of the process
   * (measured: 35 KiB for each client that is still sending its headers, 1 KiB for each idle
   * connection), at least 32 and at most 4,096. The 20 MiB heap of an 80 MiB container gives 204.
   */
  public static int maxExchanges(long maxHeap) {
    return Math.clamp((maxHeap - RESERVED_HEAP) / EXCHANGE_BYTES, 32, 4096);
  }

  private final HttpServer server;
  private final HttpApi api;

  private HealthServer(HttpServer server, HttpApi api) {
    this.server = server;
    this.api = api;
  }

  /**
   * Limits of the JDK server, read once when its first instance is created: responses go out
   * without Nagle's delay (its 40 ms stall against delayed ACKs capped keep-alive clients at 25
   * requests a second), a request that has not arrived whole within {@code MAX_REQUEST_SECONDS} (a
   * client sending its headers a byte at a time) is dropped, and a request may carry at most 100
   * headers (and the JDK's default of 380 KiB of them). A value already set with -D is kept. The
   * number of connections is left unbounded (up to the process's open-file limit): an idle
   * connection costs a few hundred bytes, and a bound would let idle clients lock probes out.
   */
  static void configureJdkServer() {
    System.setProperty(
        "sun.net.httpserver.nodelay", System.getProperty("sun.net.httpserver.nodelay", "true"));
    System.setProperty(
        "sun.net.httpserver.maxReqTime",
        System.getProperty("sun.net.httpserver.maxReqTime", Integer.toString(MAX_REQUEST_SECONDS)));
    System.setProperty(
        "sun.net.httpserver.maxRspTime",
        System.getProperty("sun.net.httpserver.maxRspTime", Integer.toString(MAX_REQUEST_SECONDS)));
    System.setProperty(
        "sun.net.httpserver.maxReqHeaders",
        System.getProperty("sun.net.httpserver.maxReqHeaders", "100"));
  }

  /**
   * @param maxExchanges the most exchanges (requests being read or handled) at once; past it the
   *     oldest still reading its request is dropped
   */
  public static HealthServer start(InetSocketAddress address, HttpApi api, int maxExchanges) {
    configureJdkServer();
    ExchangeExecutor exchanges = new ExchangeExecutor(maxExchanges, "http");
    HttpServer server;
    try {
      server = HttpServer.create(address, BACKLOG);
    } catch (IOException e) {
      throw ConfigurationException.cannotListen(address.getPort(), e, "PORT");
    }
    server.createContext(
        "/",
        exchange -> {
          exchanges.handling();
          api.handle(exchange);
        });
    server.setExecutor(exchanges);
    server.start();
    return new HealthServer(server, api);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Stops: lets the requests in flight finish (at most {@code drain}), then closes the listener and
   * every connection, which ends the exchanges still reading. {@code HttpServer.stop(n)} would wait
   * the full {@code n} seconds while idle connections stay open, so the wait for requests in flight
   * is ours.
   */
  public void stop(Duration drain) {
    try {
      api.awaitIdle(drain);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.stop(0);
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(5));
  }
}
