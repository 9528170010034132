package io.dbbinding.health;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back to the system the heap that a burst of requests made the JVM take, once the burst is
 * over. The image's collector (Serial, chosen for a small sidecar) keeps every page it grew into
 * until a full collection; in an 80 MiB container a burst leaves about 5 MiB of heap resident for
 * good (bench/RESULTS.md). G1 does this by itself ({@code G1PeriodicGCInterval}) but costs the
 * sidecar a third of its throughput, so the sidecar does it: each period it looks at the requests
 * received and the heap's size; when the period was quiet (at most one request a second: probes and
 * scrapes) and the heap has grown since the last release, it asks for one full collection, which
 * shrinks the heap to its live data plus {@code MaxHeapFreeRatio} (the image sets {@code
 * -XX:-ShrinkHeapInSteps} so that one collection is enough). A collection of the sidecar's 20 MiB
 * heap takes a few milliseconds; it happens at most once per burst, never during one.
 */
final class HeapRelease implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HeapRelease.class);

  /** Growth below this is noise (a young collection's rounding), not a burst. */
  static final long SLACK_BYTES = 1024 * 1024;

  private final LongSupplier requests;
  private final LongSupplier heapSize;
  private final Runnable collect;
  private final Duration period;
  private final Thread thread;
  private long lastRequests;
  private long heapAfterRelease;

  /**
   * @param requests requests received so far
   * @param heapSize the heap's size now (committed, not used)
   * @param collect a full collection
   */
  HeapRelease(LongSupplier requests, LongSupplier heapSize, Runnable collect, Duration period) {
    this.requests = requests;
    this.heapSize = heapSize;
    this.collect = collect;
    this.period = period;
    this.lastRequests = requests.getAsLong();
    this.heapAfterRelease = heapSize.getAsLong();
    this.thread = Thread.ofVirtual().name("heap-release").unstarted(this::run);
  }

  /** The sidecar's: its request counter, the JVM's heap, {@link System#gc()} every 5 s. */
  static HeapRelease of(HttpApi api) {
    Runtime runtime = Runtime.getRuntime();
    return new HeapRelease(
        api::requestsReceived, runtime::totalMemory, System::gc, Duration.ofSeconds(5));
  }

  HeapRelease start() {
    thread.start();
    return this;
  }

  /** One look: collects when the last period was quiet and the heap grew; true when it did. */
  boolean check() {
    long received = requests.getAsLong();
    boolean quiet = received - lastRequests <= Math.max(1, period.toSeconds());
    lastRequests = received;
    long before = heapSize.getAsLong();
    // A full collection of the JVM's own (a burst's) may have shrunk it already: grow from there.
    heapAfterRelease = Math.min(heapAfterRelease, before);
    if (!quiet || before <= heapAfterRelease + SLACK_BYTES) {
      return false;
    }
    collect.run();
    heapAfterRelease = heapSize.getAsLong();
    log.atDebug()
        .setMessage("heap.released")
        .addKeyValue("heap_before_bytes", before)
        .addKeyValue("heap_after_bytes", heapAfterRelease)
        .log();
    return true;
  }

  private void run() {
    try {
      while (true) {
        Thread.sleep(period);
        check();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closed
    }
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
