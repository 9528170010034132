package io.dbbinding.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CoalescingCheckTest {
  /** A check that counts its calls and, when asked, waits for a gate before answering. */
  static final class FakeCheck implements HealthCheck {
    final AtomicInteger calls = new AtomicInteger();
    final CountDownLatch gate;
    final CountDownLatch entered = new CountDownLatch(1);

    FakeCheck(CountDownLatch gate) {
      this.gate = gate;
    }

    @Override
    public CheckResult check() {
      calls.incrementAndGet();
      entered.countDown();
      try {
        gate.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return CheckResult.healthy(Optional.empty());
    }
  }

  @Test
  void sixtyFourConcurrentCallersShareOneQuery() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    FakeCheck fake = new FakeCheck(gate);
    CoalescingCheck check =
        new CoalescingCheck(fake, Duration.ofSeconds(1), Duration.ofSeconds(10));
    ExecutorService pool = Executors.newFixedThreadPool(64);
    try {
      CountDownLatch started = new CountDownLatch(64);
      List<Future<CheckResult>> results = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        results.add(
            pool.submit(
                () -> {
                  started.countDown();
                  return check.check();
                }));
      }
      assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(fake.entered.await(5, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(100); // let the others reach the in-flight check
      gate.countDown();
      for (Future<CheckResult> f : results) {
        assertThat(f.get(5, TimeUnit.SECONDS).healthy()).isTrue();
      }
      assertThat(fake.calls).hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aResultIsReusedWithinTheTtlAndRefreshedAfterIt() {
    CountDownLatch open = new CountDownLatch(0);
    FakeCheck fake = new FakeCheck(open);
    AtomicLong now = new AtomicLong(0);
    CoalescingCheck check =
        new CoalescingCheck(fake, Duration.ofMillis(1000), Duration.ofSeconds(1), now::get);
    check.check();
    now.set(Duration.ofMillis(999).toNanos());
    check.check();
    assertThat(fake.calls).hasValue(1);
    now.set(Duration.ofMillis(1001).toNanos());
    check.check();
    assertThat(fake.calls).hasValue(2);
  }

  @Test
  void aTtlOfZeroChecksEveryTime() {
    FakeCheck fake = new FakeCheck(new CountDownLatch(0));
    CoalescingCheck check = new CoalescingCheck(fake, Duration.ZERO, Duration.ofSeconds(1));
    check.check();
    check.check();
    check.check();
    assertThat(fake.calls).hasValue(3);
  }

  @Test
  void waitersGiveUpAtTheirBoundWhileTheCheckHangs() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    FakeCheck fake = new FakeCheck(gate);
    CoalescingCheck check =
        new CoalescingCheck(fake, Duration.ofSeconds(1), Duration.ofMillis(200));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      pool.submit(check::check);
      assertThat(fake.entered.await(5, TimeUnit.SECONDS)).isTrue();
      CheckResult waiter = check.check();
      assertThat(waiter.healthy()).isFalse();
      assertThat(waiter.detail()).isEqualTo("no answer within 200 ms");
    } finally {
      gate.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void aThrowingCheckIsUnhealthyAndTheNextCallTriesAgain() {
    AtomicInteger calls = new AtomicInteger();
    CoalescingCheck check =
        new CoalescingCheck(
            () -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("boom");
              }
              return CheckResult.healthy(Optional.empty());
            },
            Duration.ofSeconds(10),
            Duration.ofSeconds(1));
    CheckResult first = check.check();
    assertThat(first.healthy()).isFalse();
    assertThat(first.detail()).isEqualTo("check failed: IllegalStateException");
    assertThat(check.check().healthy()).isTrue();
    assertThat(calls).hasValue(2);
  }
}
