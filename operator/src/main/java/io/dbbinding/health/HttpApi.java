package io.dbbinding.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP handler of the server: request id, CORS, routing, one log line and one timer sample
 * per request. It also counts requests in flight, so that shutdown can wait for them.
 */
public final class HttpApi implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

  private final Router router;
  private final Cors cors;
  private final MeterRegistry metrics;
  private final AtomicInteger inFlight = new AtomicInteger();

  public HttpApi(Router router, Cors cors, MeterRegistry metrics) {
    this.router = router;
    this.cors = cors;
    this.metrics = metrics;
  }

  /** Answers a request without a socket: what {@link #handle(HttpExchange)} sends. */
  public Response respond(Request request, String requestId) {
    Response response =
        Cors.isPreflight(request)
            ? cors.preflight(request)
            : cors.decorate(request, router.dispatch(request));
    return response.withHeader(RequestIds.HEADER, requestId);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    inFlight.incrementAndGet();
    long start = System.nanoTime();
    Request request =
        new Request(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            exchange.getRequestHeaders());
    String requestId = RequestIds.of(request);
    int status = 500;
    try {
      Response response = respond(request, requestId);
      status = response.status();
      for (Map.Entry<String, String> h : response.headers().entrySet()) {
        exchange.getResponseHeaders().set(h.getKey(), h.getValue());
      }
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
      boolean noBody = request.method().equals("HEAD") || response.body().length == 0;
      exchange.sendResponseHeaders(status, noBody ? -1 : response.body().length);
      if (!noBody) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(response.body());
        }
      }
    } finally {
      exchange.close();
      long nanos = System.nanoTime() - start;
      record(request, status, requestId, nanos);
      inFlight.decrementAndGet();
    }
  }

  private void record(Request request, int status, String requestId, long nanos) {
    Timer.builder("http.server.requests")
        .description("HTTP requests served")
        .tag("method", request.method())
        .tag("uri", router.routeName(request.path()))
        .tag("status", Integer.toString(status))
        .register(metrics)
        .record(nanos, TimeUnit.NANOSECONDS);
    log.atInfo()
        .setMessage("http.request")
        .addKeyValue("method", request.method())
        .addKeyValue("path", abbreviate(request.path()))
        .addKeyValue("status", status)
        .addKeyValue("duration_ms", nanos / 1_000_000.0)
        .addKeyValue("request_id", requestId)
        .log();
  }

  private static String abbreviate(String path) {
    return path.length() > 200 ? path.substring(0, 200) + "..." : path;
  }

  /** Waits until no request is in flight, or {@code max} passes; true when idle. */
  public boolean awaitIdle(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (inFlight.get() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }
}
