package io.dbbinding.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.dbbinding.config.ConfigurationException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK HTTPS server that answers the API server's AdmissionReviews on {@link #PATH}, one virtual
 * thread per request. Its key pair comes from a {@link ReloadingKeyManager}, so a renewed
 * certificate is served from the next handshake on, without a restart.
 */
final class WebhookServer implements AutoCloseable {
  static final String PATH = "/mutate-pods";
  private static final Logger log = LoggerFactory.getLogger(WebhookServer.class);

  /** More than any AdmissionReview of a pod: the API server takes bodies up to 3 MiB. */
  private static final int MAX_BODY = 8 * 1024 * 1024;

  private final HttpsServer server;
  private final ExecutorService threads;

  private WebhookServer(HttpsServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  static WebhookServer start(
      InetSocketAddress address,
      ReloadingKeyManager keys,
      GateInjection injection,
      MeterRegistry metrics) {
    // Without it, Nagle's algorithm holds the response's last segment until the API server's
    // delayed ACK (40 ms), added to every pod creation. Kept if already set, as the health server
    // sets it too.
    System.setProperty(
        "sun.net.httpserver.nodelay", System.getProperty("sun.net.httpserver.nodelay", "true"));
    SSLContext tls;
    try {
      tls = SSLContext.getInstance("TLS");
      tls.init(new KeyManager[] {keys}, null, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS in this JVM", e);
    }
    HttpsServer server;
    try {
      server = HttpsServer.create(address, 128);
    } catch (IOException e) {
      throw ConfigurationException.cannotListen(address.getPort(), e, "WEBHOOK_PORT");
    }
    server.setHttpsConfigurator(
        new HttpsConfigurator(tls) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = getSSLContext().getDefaultSSLParameters();
            p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            params.setSSLParameters(p);
          }
        });
    Timer duration =
        Timer.builder("dbbinding.webhook.duration")
            .description("Time the gate-injection webhook took to answer one AdmissionReview")
            .register(metrics);
    server.createContext("/", exchange -> handle(exchange, injection, duration, metrics));
    ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(threads);
    server.start();
    return new WebhookServer(server, threads);
  }

  private static void handle(
      HttpExchange exchange, GateInjection injection, Timer duration, MeterRegistry metrics)
      throws IOException {
    long start = System.nanoTime();
    try (exchange) {
      if (!PATH.equals(exchange.getRequestURI().getPath())) {
        send(exchange, 404, "{\"detail\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "POST");
        send(exchange, 405, "{\"detail\":\"Method Not Allowed\"}".getBytes(StandardCharsets.UTF_8));
        return;
      }
      GateInjection.Outcome outcome;
      byte[] body = read(exchange.getRequestBody());
      if (body == null) {
        outcome = injection.malformed("", "the body is larger than " + MAX_BODY + " bytes");
      } else {
        try {
          outcome = injection.review(body);
        } catch (RuntimeException e) {
          // A bug of ours must not turn into a 500: the API server would count it as a failure.
          outcome = injection.malformed("", "internal error " + e.getClass().getSimpleName());
        }
      }
      send(exchange, 200, outcome.body());
      Counter.builder("dbbinding.webhook.reviews")
          .description("AdmissionReviews answered by the gate-injection webhook, by result")
          .tag("result", outcome.result().name().toLowerCase(java.util.Locale.ROOT))
          .register(metrics)
          .increment();
      if (outcome.result() == GateInjection.Result.MALFORMED) {
        log.atWarn()
            .setMessage("webhook.malformed_review")
            .addKeyValue("reason", outcome.message())
            .log();
      } else {
        log.atDebug()
            .setMessage("webhook.review")
            .addKeyValue("result", outcome.result())
            .addKeyValue("reason", outcome.message())
            .log();
      }
    } finally {
      duration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  /** The body, or null when it is larger than {@link #MAX_BODY}. */
  private static byte[] read(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY + 1);
    return body.length > MAX_BODY ? null : body;
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    // Admission calls are short; the API server retries nothing but fails open (Ignore).
    server.stop(0);
    threads.shutdown();
  }
}
