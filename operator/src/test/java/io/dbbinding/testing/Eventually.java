package io.dbbinding.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls until a condition holds, for tests of things that happen asynchronously. */
public final class Eventually {
  private Eventually() {}

  /**
   * Returns the first non-null value {@code probe} gives within {@code max}; fails with {@code
   * what} and the last value seen otherwise.
   */
  public static <T> T get(String what, Duration max, Supplier<T> probe) {
    long deadline = System.nanoTime() + max.toNanos();
    RuntimeException last = null;
    while (true) {
      try {
        T value = probe.get();
        if (value != null) {
          return value;
        }
        last = null;
      } catch (RuntimeException e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out after " + max.toSeconds() + " s waiting for " + what, last);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  /** Waits until {@code condition} is true. */
  public static void until(String what, Duration max, Supplier<Boolean> condition) {
    get(what, max, () -> Boolean.TRUE.equals(condition.get()) ? Boolean.TRUE : null);
  }
}
