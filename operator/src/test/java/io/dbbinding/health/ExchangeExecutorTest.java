package io.dbbinding.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The bound on exchanges: past it the oldest exchange still reading its request is cut (its thread
 * interrupted, which closes its channel in the server), never one that is being handled.
 */
class ExchangeExecutorTest {
  private final CountDownLatch never = new CountDownLatch(1);

  /** An exchange that waits for its request until interrupted, and says whether it was. */
  private Runnable reading(AtomicBoolean interrupted, CountDownLatch started) {
    return () -> {
      started.countDown();
      try {
        never.await();
      } catch (InterruptedException e) {
        interrupted.set(true);
      }
    };
  }

  @Test
  void pastTheBoundTheOldestReaderIsCutForTheNewExchange() throws Exception {
    ExchangeExecutor exchanges = new ExchangeExecutor(2, "test");
    AtomicBoolean first = new AtomicBoolean();
    AtomicBoolean second = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(2);
    exchanges.execute(reading(first, started));
    Thread.sleep(20);
    exchanges.execute(reading(second, started));
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

    CountDownLatch ran = new CountDownLatch(1);
    exchanges.execute(ran::countDown);
    assertThat(ran.await(5, TimeUnit.SECONDS)).as("the new exchange ran").isTrue();
    waitUntil(first);
    assertThat(second).as("the younger reader is left alone").isFalse();
    assertThat(exchanges.evicted()).isEqualTo(1);
  }

  @Test
  void exchangesInTheHandlerAreNeverCutAndPastTheBoundANewOneIsRefused() throws Exception {
    ExchangeExecutor exchanges = new ExchangeExecutor(1, "test");
    AtomicBoolean interrupted = new AtomicBoolean();
    CountDownLatch handling = new CountDownLatch(1);
    exchanges.execute(
        () -> {
          exchanges.handling(); // the request arrived whole: now in the handler
          handling.countDown();
          try {
            never.await();
          } catch (InterruptedException e) {
            interrupted.set(true);
          }
        });
    assertThat(handling.await(5, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> exchanges.execute(() -> {}))
        .isInstanceOf(RejectedExecutionException.class);
    Thread.sleep(50);
    assertThat(interrupted).isFalse();
    assertThat(exchanges.running()).isEqualTo(1);
  }

  private static void waitUntil(AtomicBoolean flag) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!flag.get() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(flag).as("the oldest reader was interrupted").isTrue();
  }
}
