package io.dbbinding.health;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back to the system the heap that a burst of requests made the JVM take: during the burst as
 * soon as it has grown, and once more when it is over. Under load the old generation fills with
 * requests' objects that young collections promoted (each new keep-alive connection's buffers
 * outgrow the small survivor spaces), and the image's collector (Serial, chosen for a small
 * sidecar) grows the old generation rather than collect it, up to the heap's cap; it gives pages
 * back only at a full collection. So a burst would leave the heap at its cap, about 8 MiB of an 80
 * MiB container's RSS, for good (bench/RESULTS.md). G1 does this by itself ({@code
 * G1PeriodicGCInterval}) but costs the sidecar a third of its throughput, so with Serial the
 * sidecar does it; with any other collector it leaves the heap to the collector.
 *
 * <p>Each period (a second) it looks at the requests received and at the heap. A full collection
 * leaves the old generation at its live data plus {@code MaxHeapFreeRatio} (20 % in the image,
 * which sets {@code -XX:-ShrinkHeapInSteps} so that one collection is enough) and sizes the young
 * generation from it ({@code NewRatio}).
 *
 * <ul>
 *   <li>When the period was quiet (at most one request a second: probes and scrapes), the heap a
 *       collection leaves is known from the live data of a quiet sidecar, measured by its own last
 *       quiet collection (before the first: the old generation after start-up, which is nearly all
 *       live); when the heap is larger than that by more than a MiB, it collects. A heap that would
 *       not shrink is left alone: Serial can size the young generation up after a full collection.
 *   <li>During a burst the requests in flight are live too, so that figure says nothing; instead it
 *       collects when the heap has grown by more than a MiB since its own last collection, which
 *       bounds what a burst adds to what it promoted in the last second. A burst's steady state
 *       promotes little once its connections are open, so this is a collection every few seconds at
 *       most (about 12 ms each for the 20 MiB heap), and none while the heap stays put.
 * </ul>
 */
final class HeapRelease implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HeapRelease.class);

  /** Growth below this is noise (a young collection's promotions), not a burst. */
  static final long SLACK_BYTES = 1024 * 1024;

  private final LongSupplier requests;
  private final LongSupplier heapCommitted;
  private final LongSupplier oldLive;
  private final double heapPerLiveByte;
  private final Runnable collect;
  private final Duration period;
  private final Thread thread;
  private long lastRequests;
  private long quietLive;

  /** The heap after the last collection this asked for (at first: as the sidecar started). */
  private long floor;

  /**
   * @param requests requests received so far
   * @param heapCommitted the heap's size now
   * @param oldLive what the old generation's last full collection left in it
   * @param heapPerLiveByte the heap a full collection leaves per byte of live data
   * @param liveAtStart the live data to assume before the first release
   * @param collect a full collection
   */
  HeapRelease(
      LongSupplier requests,
      LongSupplier heapCommitted,
      LongSupplier oldLive,
      double heapPerLiveByte,
      long liveAtStart,
      Runnable collect,
      Duration period) {
    this.requests = requests;
    this.heapCommitted = heapCommitted;
    this.oldLive = oldLive;
    this.heapPerLiveByte = heapPerLiveByte;
    this.quietLive = liveAtStart;
    this.collect = collect;
    this.period = period;
    this.lastRequests = requests.getAsLong();
    this.floor = heapCommitted.getAsLong();
    this.thread = Thread.ofVirtual().name("heap-release").unstarted(this::run);
  }

  /**
   * The sidecar's, every second: its request counter, the JVM's heap and {@link System#gc()}; empty
   * unless the collector is Serial.
   */
  static Optional<HeapRelease> of(HttpApi api) {
    Optional<MemoryPoolMXBean> tenured =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP && p.getName().equals("Tenured Gen"))
            .findFirst();
    if (tenured.isEmpty()) {
      return Optional.empty();
    }
    MemoryPoolMXBean old = tenured.get();
    HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    double maxFree = Double.parseDouble(vm.getVMOption("MaxHeapFreeRatio").getValue()) / 100;
    double newRatio = Double.parseDouble(vm.getVMOption("NewRatio").getValue());
    Runtime runtime = Runtime.getRuntime();
    return Optional.of(
        new HeapRelease(
            api::requestsReceived,
            runtime::totalMemory,
            () -> {
              MemoryUsage usage = old.getCollectionUsage();
              return usage == null ? 0 : usage.getUsed();
            },
            (1 + 1 / newRatio) / Math.max(0.01, 1 - maxFree),
            old.getUsage().getCommitted(),
            System::gc,
            Duration.ofSeconds(1)));
  }

  HeapRelease start() {
    thread.start();
    return this;
  }

  /**
   * One look: collects when the last period was quiet and the heap would shrink, or was busy and
   * the heap grew since the last collection; true if so.
   */
  boolean check() {
    long received = requests.getAsLong();
    boolean quiet = received - lastRequests <= Math.max(1, period.toSeconds());
    lastRequests = received;
    // Quiet: what a collection would leave of a quiet sidecar's live data. Busy: the requests in
    // flight are live too, so only growth since the last collection says there is garbage.
    long threshold = quiet ? (long) (quietLive * heapPerLiveByte) : floor;
    long before = heapCommitted.getAsLong();
    if (before <= threshold + SLACK_BYTES) {
      return false;
    }
    collect.run();
    if (quiet) {
      quietLive = oldLive.getAsLong();
    }
    floor = heapCommitted.getAsLong();
    log.atDebug()
        .setMessage("heap.released")
        .addKeyValue("during_burst", !quiet)
        .addKeyValue("heap_before_bytes", before)
        .addKeyValue("heap_after_bytes", floor)
        .addKeyValue("live_bytes", oldLive.getAsLong())
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
