package io.dbbinding.health;

import com.sun.net.httpserver.HttpServer;
import io.dbbinding.config.ConfigurationException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK HTTP server around {@link HttpApi}, with a bounded worker pool: a flood of requests waits
 * in a bounded queue, and past it connections are refused rather than threads created.
 */
public final class HealthServer implements AutoCloseable {
  private static final int QUEUE = 1024;
  static final int MAX_REQUEST_SECONDS = 5;

  private final HttpServer server;
  private final HttpApi api;
  private final ThreadPoolExecutor workers;

  private HealthServer(HttpServer server, HttpApi api, ThreadPoolExecutor workers) {
    this.server = server;
    this.api = api;
    this.workers = workers;
  }

  /**
   * Limits of the JDK server, read once when its first instance is created: responses go out
   * without Nagle's delay (its 40 ms stall against delayed ACKs capped keep-alive clients at 25
   * requests a second), and a request that has not arrived whole within {@code MAX_REQUEST_SECONDS}
   * (a client sending its headers a byte at a time) is dropped, so slow clients cannot hold the
   * workers. A value already set with -D is kept.
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

  public static HealthServer start(InetSocketAddress address, HttpApi api, int threads) {
    configureJdkServer();
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor workers =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            r -> {
              Thread t = new Thread(r, "http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    workers.allowCoreThreadTimeOut(true);
    HttpServer server;
    try {
      server = HttpServer.create(address, 128);
    } catch (IOException e) {
      // Almost always the PORT setting: another process has it, or it is not ours to take.
      throw new ConfigurationException(
          "cannot listen on port "
              + address.getPort()
              + " ("
              + e.getMessage()
              + "); set PORT to a free port");
    }
    server.createContext("/", api);
    server.setExecutor(workers);
    server.start();
    return new HealthServer(server, api, workers);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Stops: lets the requests in flight finish (at most {@code drain}), then closes the listener and
   * every connection. JDK 17's {@code HttpServer.stop(n)} always waits the full {@code n} seconds,
   * so the wait for requests in flight is ours.
   */
  public void stop(Duration drain) {
    try {
      api.awaitIdle(drain);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.stop(0);
    workers.shutdown();
    try {
      workers.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(5));
  }
}
