package io.dbbinding.health;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CORS for the origins in {@code ALLOWED_ORIGINS} ({@code *} allows any). A preflight from an
 * allowed origin is answered here; one from another origin gets 400, as Starlette's middleware
 * does, so browsers show a clear failure.
 */
public final class Cors {
  static final String ALLOWED_METHODS = "GET, HEAD, OPTIONS";
  private static final String MAX_AGE_SECONDS = "600";

  private final List<String> allowedOrigins;

  public Cors(List<String> allowedOrigins) {
    this.allowedOrigins = List.copyOf(allowedOrigins);
  }

  public boolean allows(String origin) {
    return allowedOrigins.contains("*") || allowedOrigins.contains(origin);
  }

  /** Whether this is a preflight: OPTIONS with an Origin and Access-Control-Request-Method. */
  public static boolean isPreflight(Request request) {
    return request.method().equals("OPTIONS")
        && request.header("Origin").isPresent()
        && request.header("Access-Control-Request-Method").isPresent();
  }

  public Response preflight(Request request) {
    String origin = request.header("Origin").orElseThrow();
    String method = request.header("Access-Control-Request-Method").orElseThrow();
    if (!allows(origin)) {
      return Response.detail(400, "Disallowed CORS origin");
    }
    if (!ALLOWED_METHODS.contains(method.strip())) {
      return Response.detail(400, "Disallowed CORS method");
    }
    Response r =
        new Response(200, "text/plain", new byte[0], Map.of())
            .withHeader("Access-Control-Allow-Origin", origin)
            .withHeader("Access-Control-Allow-Methods", ALLOWED_METHODS)
            .withHeader("Access-Control-Max-Age", MAX_AGE_SECONDS)
            .withHeader("Vary", "Origin");
    Optional<String> headers = request.header("Access-Control-Request-Headers");
    return headers.map(h -> r.withHeader("Access-Control-Allow-Headers", h)).orElse(r);
  }

  /** Adds the CORS headers of a simple request from an allowed origin. */
  public Response decorate(Request request, Response response) {
    Optional<String> origin = request.header("Origin");
    if (origin.isEmpty() || !allows(origin.get())) {
      return response;
    }
    return response
        .withHeader("Access-Control-Allow-Origin", origin.get())
        .withHeader("Access-Control-Expose-Headers", "X-Request-ID")
        .withHeader("Vary", "Origin");
  }
}
