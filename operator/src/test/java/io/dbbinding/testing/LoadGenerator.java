package io.dbbinding.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A closed-loop HTTP/1.1 load generator over keep-alive connections to loopback: each connection
 * sends a request, reads the whole response, and sends the next. Bounded in time and by
 * construction in count (one request in flight per connection). The benchmarks measure with it;
 * tests use it to make a burst.
 */
public final class LoadGenerator {
  public record Result(long requests, long errors, double perSecond, double p50Ms, double p99Ms) {}

  private LoadGenerator() {}

  public static Result run(int port, String path, int connections, Duration duration)
      throws InterruptedException {
    byte[] request =
        ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    long end = System.nanoTime() + duration.toNanos();
    List<long[]> latencies = new ArrayList<>();
    long[] counts = new long[connections];
    long[] errors = new long[connections];
    CountDownLatch done = new CountDownLatch(connections);
    long start = System.nanoTime();
    for (int i = 0; i < connections; i++) {
      int id = i;
      long[] samples = new long[Math.max(10_000, 2_000_000 / connections)];
      latencies.add(samples);
      Thread t =
          new Thread(
              () -> {
                try {
                  worker(port, request, end, samples, counts, errors, id);
                } finally {
                  done.countDown();
                }
              },
              "load-" + i);
      t.setDaemon(true);
      t.start();
    }
    done.await();
    double seconds = (System.nanoTime() - start) / 1e9;
    long total = Arrays.stream(counts).sum();
    long[] all = new long[(int) Math.min(total, Integer.MAX_VALUE)];
    int k = 0;
    for (int i = 0; i < connections; i++) {
      int n = (int) Math.min(counts[i], latencies.get(i).length);
      System.arraycopy(latencies.get(i), 0, all, k, n);
      k += n;
    }
    long[] sorted = Arrays.copyOf(all, k);
    Arrays.sort(sorted);
    double p50 = sorted.length == 0 ? 0 : sorted[(int) (sorted.length * 0.50)] / 1e6;
    double p99 =
        sorted.length == 0
            ? 0
            : sorted[(int) Math.min(sorted.length - 1, sorted.length * 0.99)] / 1e6;
    return new Result(total, Arrays.stream(errors).sum(), total / seconds, p50, p99);
  }

  private static void worker(
      int port, byte[] request, long end, long[] samples, long[] counts, long[] errors, int id) {
    while (System.nanoTime() < end) {
      try (Socket s = new Socket()) {
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        InputStream in = new BufferedInputStream(s.getInputStream(), 8192);
        while (System.nanoTime() < end) {
          long t0 = System.nanoTime();
          out.write(request);
          out.flush();
          if (!readResponse(in)) {
            errors[id]++;
            break;
          }
          long n = counts[id]++;
          if (n < samples.length) {
            samples[(int) n] = System.nanoTime() - t0;
          }
        }
      } catch (IOException e) {
        errors[id]++;
      }
    }
  }

  /** Reads one response; false when the server closed the connection. */
  private static boolean readResponse(InputStream in) throws IOException {
    StringBuilder headers = new StringBuilder();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        return false;
      }
      headers.append((char) b);
      state =
          (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
              ? state + 1
              : 0;
    }
    int length = 0;
    for (String line : headers.toString().split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).equalsIgnoreCase("content-length")) {
        length = Integer.parseInt(line.substring(colon + 1).strip());
      }
    }
    for (int i = 0; i < length; i++) {
      if (in.read() < 0) {
        return false;
      }
    }
    return true;
  }
}
