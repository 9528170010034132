package io.dbbinding.health;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;

/**
 * Runs each exchange of the JDK HTTP server on its own virtual thread, at most {@code max} at once.
 *
 * <p>The JDK server reads a request's line and headers on the executor's thread, not on its
 * dispatcher: with a pool of platform threads, a client that sends its headers slowly holds a
 * worker until the request time limit drops it, and a few hundred such clients held every worker
 * while probes waited. On a virtual thread a slow client only parks a small continuation on the
 * heap, and a probe on a new connection gets a thread of its own at once.
 *
 * <p>The bound keeps memory bounded whatever the number of attackers: when {@code max} exchanges
 * are running, the one that has waited longest for its request to arrive (a slow client, since a
 * real request arrives in one packet) is interrupted, which closes its connection, and the new
 * exchange runs. Exchanges already in a handler are never cut; when all of them are, the new one is
 * refused and the server closes its connection.
 */
final class ExchangeExecutor implements Executor {
  private final int max;
  private final ThreadFactory threads;
  // Insertion order is start order: the first is the oldest still reading its request.
  private final Set<Thread> reading = new LinkedHashSet<>();
  private int running;
  private long evicted;

  ExchangeExecutor(int max, String name) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be positive");
    }
    this.max = max;
    this.threads = Thread.ofVirtual().name(name + "-", 0).factory();
  }

  @Override
  public void execute(Runnable exchange) {
    Thread thread = threads.newThread(() -> run(exchange));
    synchronized (this) {
      if (running >= max) {
        Iterator<Thread> oldest = reading.iterator();
        if (!oldest.hasNext()) {
          throw new RejectedExecutionException("all " + max + " exchanges are being handled");
        }
        Thread slow = oldest.next();
        oldest.remove();
        slow.interrupt(); // closes its channel: the server then drops the connection
        evicted++;
      }
      running++;
      reading.add(thread);
    }
    thread.start();
  }

  private void run(Runnable exchange) {
    try {
      exchange.run();
    } finally {
      synchronized (this) {
        reading.remove(Thread.currentThread());
        running--;
      }
    }
  }

  /**
   * Called by the handler on the exchange's thread: its request has arrived whole, and from now on
   * the exchange is never evicted.
   */
  synchronized void handling() {
    reading.remove(Thread.currentThread());
  }

  /** Exchanges running now, reading or handled. */
  synchronized int running() {
    return running;
  }

  /** Exchanges cut so far to make room, for metrics. */
  synchronized long evicted() {
    return evicted;
  }
}
