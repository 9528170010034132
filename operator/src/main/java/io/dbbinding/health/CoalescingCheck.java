package io.dbbinding.health;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Makes a check cheap to ask often: callers that arrive while a check is running share its result
 * (one query, however many probes), and a result is reused for {@code ttl}. A thousand probes a
 * second thus cost the database about one query a second.
 *
 * <p>The first caller runs the check on its own thread; the others wait for it, but never longer
 * than {@code maxWait}, so a database that hangs cannot hold a probe past its bound.
 */
public final class CoalescingCheck implements HealthCheck {
  private record Cached(CheckResult result, long atNanos) {}

  private final HealthCheck delegate;
  private final long ttlNanos;
  private final Duration maxWait;
  private final LongSupplier nanoClock;
  private final AtomicReference<CompletableFuture<CheckResult>> inFlight = new AtomicReference<>();
  private volatile Cached cached;

  public CoalescingCheck(HealthCheck delegate, Duration ttl, Duration maxWait) {
    this(delegate, ttl, maxWait, System::nanoTime);
  }

  CoalescingCheck(HealthCheck delegate, Duration ttl, Duration maxWait, LongSupplier nanoClock) {
    this.delegate = delegate;
    this.ttlNanos = ttl.toNanos();
    this.maxWait = maxWait;
    this.nanoClock = nanoClock;
  }

  @Override
  public CheckResult check() {
    while (true) {
      CheckResult fresh = fresh();
      if (fresh != null) {
        return fresh;
      }
      CompletableFuture<CheckResult> running = inFlight.get();
      if (running != null) {
        return await(running);
      }
      CompletableFuture<CheckResult> mine = new CompletableFuture<>();
      if (inFlight.compareAndSet(null, mine)) {
        return lead(mine);
      }
      // Another caller started a check between our two looks; go round and join it.
    }
  }

  private CheckResult lead(CompletableFuture<CheckResult> mine) {
    CheckResult result = fresh(); // a check may have finished just before we won the race
    try {
      if (result == null) {
        result = delegate.check();
        cached = new Cached(result, nanoClock.getAsLong());
      }
      return result;
    } catch (RuntimeException e) {
      result = CheckResult.unhealthy("check failed: " + e.getClass().getSimpleName());
      return result;
    } finally {
      // Publish the cache before clearing the in-flight marker, so nobody starts a second check.
      inFlight.set(null);
      mine.complete(result);
    }
  }

  private CheckResult await(CompletableFuture<CheckResult> running) {
    try {
      return running.get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return CheckResult.unhealthy("no answer within " + maxWait.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CheckResult.unhealthy("interrupted");
    } catch (ExecutionException e) {
      return CheckResult.unhealthy("check failed: " + e.getCause().getClass().getSimpleName());
    }
  }

  private CheckResult fresh() {
    Cached c = cached;
    if (c != null && ttlNanos > 0 && nanoClock.getAsLong() - c.atNanos() < ttlNanos) {
      return c.result();
    }
    return null;
  }
}
