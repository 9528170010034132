package io.dbbinding.health;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP response: status, content type, body and extra headers.
 *
 * @param reason why a probe failed, for the log line only (never sent; never a credential): the
 *     database's error behind a 503, say; empty when the body says it all
 */
public record Response(
    int status, String contentType, byte[] body, Map<String, String> headers, String reason) {
  public static final String JSON = "application/json";

  public Response {
    headers = Map.copyOf(headers);
  }

  public Response(int status, String contentType, byte[] body, Map<String, String> headers) {
    this(status, contentType, body, headers, "");
  }

  /** This response, with {@code reason} for the log. */
  public Response withReason(String reason) {
    return new Response(status, contentType, body, headers, reason);
  }

  public static Response json(int status, Map<String, ?> body) {
    return new Response(status, JSON, Json.object(body), Map.of());
  }

  /** The {@code {"detail": ...}} body used for 404, 405 and the 503s of the probes. */
  public static Response detail(int status, String detail) {
    return json(status, Map.of("detail", detail));
  }

  public static Response text(int status, String contentType, String body) {
    return new Response(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  public Response withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new Response(status, contentType, body, h, reason);
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
