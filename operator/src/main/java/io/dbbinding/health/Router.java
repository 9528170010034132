package io.dbbinding.health;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps {@code (method, path)} to a handler; an unknown path is a 404 and a known path with another
 * method a 405, both as JSON. Exceptions become JSON through {@link ErrorResponses}.
 */
public final class Router {
  private static final Logger log = LoggerFactory.getLogger(Router.class);

  /** Answers one route. */
  @FunctionalInterface
  public interface Handler {
    Response handle(Request request);
  }

  private final Map<String, Map<String, Handler>> routes = new LinkedHashMap<>();
  private final Set<String> probes = new HashSet<>();

  public Router get(String path, Handler handler) {
    return add("GET", path, handler);
  }

  /**
   * A GET route that Kubernetes probes every few seconds: its requests are logged only when the
   * answer changes (see {@link HttpApi}).
   */
  public Router probe(String path, Handler handler) {
    probes.add(path);
    return get(path, handler);
  }

  public boolean isProbe(String path) {
    return probes.contains(path);
  }

  public Router add(String method, String path, Handler handler) {
    routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, handler);
    return this;
  }

  public Set<String> paths() {
    return routes.keySet();
  }

  /** The route's path when it exists, for metrics that must not grow with every unknown path. */
  public String routeName(String path) {
    return routes.containsKey(path) ? path : "unmatched";
  }

  public Response dispatch(Request request) {
    Map<String, Handler> byMethod = routes.get(request.path());
    if (byMethod == null) {
      return Response.detail(404, "Not Found");
    }
    String method = request.method().equals("HEAD") ? "GET" : request.method();
    Handler handler = byMethod.get(method);
    if (handler == null) {
      Set<String> allowed = new TreeSet<>(byMethod.keySet());
      if (allowed.contains("GET")) {
        allowed.add("HEAD");
      }
      return Response.detail(405, "Method Not Allowed")
          .withHeader("Allow", String.join(", ", allowed));
    }
    try {
      return handler.handle(request);
    } catch (RuntimeException e) {
      Response response = ErrorResponses.of(e);
      if (response.status() >= 500) {
        log.atError()
            .setMessage("http.handler_failed")
            .addKeyValue("path", request.path())
            .addKeyValue("type", e.getClass().getSimpleName())
            .log();
      }
      return response;
    }
  }
}
