package io.dbbinding.health;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** An HTTP request as the routes see it; header names are case-insensitive. */
public record Request(String method, String path, Map<String, List<String>> headers) {
  public Request {
    Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    headers = copy;
  }

  public static Request get(String path) {
    return new Request("GET", path, Map.of());
  }

  public Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }
}
