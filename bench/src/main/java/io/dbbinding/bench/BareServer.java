package io.dbbinding.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The baseline of the sidecar's throughput: the JDK's HTTP server with nothing of ours, answering
 * {@code /health} with the sidecar's body from a constant. Run as its own process with the same JVM
 * flags as the sidecar, so that the ratio measures what dbbinding adds (routing, request ids, CORS,
 * metrics, logging, virtual threads), not the JVM or the machine.
 */
public final class BareServer {
  private BareServer() {}

  public static void main(String[] args) throws Exception {
    // As the sidecar does: without it, Nagle's delay caps keep-alive clients at 25 requests/s.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    byte[] body = "{\"status\":\"healthy\",\"service\":\"api\"}".getBytes(StandardCharsets.UTF_8);
    HttpServer server = HttpServer.create(new InetSocketAddress(Integer.parseInt(args[0])), 1024);
    server.createContext(
        "/health",
        exchange -> {
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start(); // no executor: each request handled on the server's own dispatcher thread
  }
}
