import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load at one sidecar through the pod network, for e2e/node.sh's check 5: first KEEP_ALIVE
 * connections that each send request after request, then NEW_EACH clients that open a new
 * connection for every request. One request in flight per connection (closed loop).
 *
 * <pre>java bench/node/PodLoad.java HOST PORT PATH SECONDS_PER_PHASE KEEP_ALIVE NEW_EACH</pre>
 *
 * Prints one line per phase and a last line {@code requests=N socket_errors=N statuses=...};
 * exits 1 when any socket error happened. Run with the source launcher: no build step.
 */
public final class PodLoad {
  private final String host;
  private final int port;
  private final byte[] keepAlive;
  private final byte[] close;
  private final LongAdder requests = new LongAdder();
  private final LongAdder socketErrors = new LongAdder();
  private final ConcurrentHashMap<Integer, LongAdder> statuses = new ConcurrentHashMap<>();

  private PodLoad(String host, int port, String path) {
    this.host = host;
    this.port = port;
    this.keepAlive = request(path, "keep-alive");
    this.close = request(path, "close");
  }

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 6) {
      System.err.println(
          "usage: java PodLoad.java HOST PORT PATH SECONDS_PER_PHASE KEEP_ALIVE NEW_EACH");
      System.exit(2);
    }
    PodLoad load = new PodLoad(args[0], Integer.parseInt(args[1]), args[2]);
    long seconds = Long.parseLong(args[3]);
    load.phase("keep-alive", Integer.parseInt(args[4]), seconds, true);
    load.phase("new-connection", Integer.parseInt(args[5]), seconds, false);
    StringJoiner codes = new StringJoiner(",");
    load.statuses.forEach((code, n) -> codes.add(code + ":" + n.sum()));
    System.out.printf(
        "requests=%d socket_errors=%d statuses=%s%n",
        load.requests.sum(), load.socketErrors.sum(), codes.length() == 0 ? "none" : codes);
    System.exit(load.socketErrors.sum() == 0 ? 0 : 1);
  }

  private void phase(String name, int connections, long seconds, boolean reuse)
      throws InterruptedException {
    long before = requests.sum();
    long errorsBefore = socketErrors.sum();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    CountDownLatch done = new CountDownLatch(connections);
    for (int i = 0; i < connections; i++) {
      Thread.ofPlatform()
          .name(name + "-" + i)
          .daemon()
          .start(
              () -> {
                try {
                  while (System.nanoTime() < end) {
                    connection(end, reuse);
                  }
                } finally {
                  done.countDown();
                }
              });
    }
    done.await();
    long n = requests.sum() - before;
    System.out.printf(
        "%s: %d connections, %d s, %d requests (%.0f/s), %d socket errors%n",
        name, connections, seconds, n, n / (double) seconds, socketErrors.sum() - errorsBefore);
  }

  /** One connection: requests until the deadline (keep-alive) or exactly one. */
  private void connection(long end, boolean reuse) {
    try (Socket s = new Socket()) {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(host, port), 2_000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      InputStream in = new BufferedInputStream(s.getInputStream());
      do {
        out.write(reuse ? keepAlive : close);
        out.flush();
        int status = readResponse(in);
        statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
        requests.increment();
      } while (reuse && System.nanoTime() < end);
    } catch (IOException e) {
      socketErrors.increment();
    }
  }

  /** Reads a status line, the headers and a Content-Length body; returns the status code. */
  private static int readResponse(InputStream in) throws IOException {
    String statusLine = line(in);
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    int length = 0;
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
        length = Integer.parseInt(h.substring(colon + 1).trim());
      }
    }
    if (in.readNBytes(length).length != length) {
      throw new IOException("connection closed inside a response body");
    }
    return status;
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed inside a response");
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  private static byte[] request(String path, String connection) {
    return ("GET " + path + " HTTP/1.1\r\nHost: sidecar\r\nConnection: " + connection + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }
}
