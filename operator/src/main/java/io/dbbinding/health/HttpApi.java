package io.dbbinding.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The one HTTP handler of the server: request id, CORS, routing, a log line and one timer sample
 * per request. It also counts requests in flight, so that shutdown can wait for them.
 *
 * <p>Probe paths are asked every few seconds by every kubelet: a probe that answers as the previous
 * one on its path did is logged at DEBUG, and a change (ready to not ready, and back) once, at WARN
 * when it fails and INFO when it recovers, with the reason. Other paths get an INFO line each.
 */
public final class HttpApi implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

  private final Router router;
  private final Cors cors;
  private final MeterRegistry metrics;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final LongAdder received = new LongAdder();
  private final ProbeStates probes = new ProbeStates();
  // One timer per (method, route, status), looked up without building a meter id and its sorted
  // tags on every request as Timer.builder(...).register(...) does.
  private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

  private record TimerKey(String method, String uri, int status) {}

  public HttpApi(Router router, Cors cors, MeterRegistry metrics) {
    this.router = router;
    this.cors = cors;
    this.metrics = metrics;
  }

  /** Requests received since the start, for telling a burst from probes. */
  public long requestsReceived() {
    return received.sum();
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
    received.increment();
    inFlight.incrementAndGet();
    long start = System.nanoTime();
    Request request =
        new Request(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            exchange.getRequestHeaders());
    String requestId = RequestIds.of(request);
    int status = 500;
    String reason = "";
    try {
      Response response = respond(request, requestId);
      status = response.status();
      reason =
          response.reason().isEmpty()
              ? detailOf(response)
              : detailOf(response) + ": " + response.reason();
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
      record(request, status, reason, requestId, nanos);
      inFlight.decrementAndGet();
    }
  }

  private void record(Request request, int status, String reason, String requestId, long nanos) {
    timers
        .computeIfAbsent(
            new TimerKey(request.method(), router.routeName(request.path()), status), this::timer)
        .record(nanos, TimeUnit.NANOSECONDS);
    boolean probe =
        router.isProbe(request.path())
            && (request.method().equals("GET") || request.method().equals("HEAD"));
    if (probe) {
      OptionalInt previous = probes.swap(request.path(), status);
      boolean ok = status < 400;
      boolean changed = previous.isPresent() ? previous.getAsInt() != status : !ok;
      if (changed) {
        LoggingEventBuilder line =
            (ok ? log.atInfo() : log.atWarn())
                .setMessage("http.probe_changed")
                .addKeyValue("path", request.path())
                .addKeyValue("status", status);
        if (previous.isPresent()) {
          line = line.addKeyValue("previous_status", previous.getAsInt());
        }
        if (!ok) {
          line = line.addKeyValue("reason", reason);
        }
        line.addKeyValue("request_id", requestId).log();
        return;
      }
    }
    (probe ? log.atDebug() : log.atInfo())
        .setMessage("http.request")
        .addKeyValue("method", request.method())
        .addKeyValue("path", abbreviate(request.path()))
        .addKeyValue("status", status)
        .addKeyValue("duration_ms", nanos / 1_000_000.0)
        .addKeyValue("request_id", requestId)
        .log();
  }

  private Timer timer(TimerKey key) {
    return Timer.builder("http.server.requests")
        .description("HTTP requests served")
        .tag("method", key.method())
        .tag("uri", key.uri())
        .tag("status", Integer.toString(key.status()))
        .register(metrics);
  }

  /** The {@code detail} of a JSON error body, which says why a probe failed. */
  private static String detailOf(Response response) {
    String body = response.bodyText();
    String key = "{\"detail\":\"";
    return response.status() >= 400 && body.startsWith(key) && body.endsWith("\"}")
        ? body.substring(key.length(), body.length() - 2)
        : "";
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
