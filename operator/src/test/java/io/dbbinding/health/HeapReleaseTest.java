package io.dbbinding.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HeapReleaseTest {
  private static final long MIB = 1024 * 1024;

  /** A JVM whose heap a collection shrinks to {@code live}, counting collections. */
  private static final class FakeJvm {
    long requests;
    long heap = 10 * MIB;
    long live = 8 * MIB;
    int collections;

    HeapRelease release() {
      return new HeapRelease(
          () -> requests,
          () -> heap,
          () -> {
            collections++;
            heap = live;
          },
          Duration.ofSeconds(5));
    }
  }

  @Test
  void collectsOnceWhenABurstIsOverAndTheHeapGrew() {
    FakeJvm jvm = new FakeJvm();
    HeapRelease release = jvm.release();

    jvm.requests += 100_000; // the burst
    jvm.heap = 20 * MIB;
    assertThat(release.check()).as("during the burst").isFalse();

    jvm.requests += 2; // probes only
    assertThat(release.check()).isTrue();
    assertThat(jvm.collections).isEqualTo(1);
    assertThat(jvm.heap).isEqualTo(8 * MIB);

    jvm.requests += 3;
    assertThat(release.check()).as("nothing grew since").isFalse();
    assertThat(jvm.collections).isEqualTo(1);
  }

  @Test
  void probesAloneNeverCollectWhileTheHeapStaysPut() {
    FakeJvm jvm = new FakeJvm();
    HeapRelease release = jvm.release();
    for (int i = 0; i < 10; i++) {
      jvm.requests += 5; // one a second: quiet
      assertThat(release.check()).isFalse();
    }
    assertThat(jvm.collections).isZero();
  }

  @Test
  void growthWithinTheSlackIsNoBurst() {
    FakeJvm jvm = new FakeJvm();
    HeapRelease release = jvm.release();
    jvm.heap += HeapRelease.SLACK_BYTES;
    assertThat(release.check()).isFalse();
    jvm.heap += 1;
    assertThat(release.check()).isTrue();
  }

  @Test
  void aHeapTheJvmShrankItselfIsTheNewStartingPoint() {
    FakeJvm jvm = new FakeJvm();
    HeapRelease release = jvm.release();
    jvm.heap = 6 * MIB; // a full collection of its own during a burst
    jvm.requests += 50_000;
    assertThat(release.check()).isFalse();
    jvm.heap = 7 * MIB + HeapRelease.SLACK_BYTES + 1; // grew from 6, not from 10
    jvm.requests += 1;
    assertThat(release.check()).isTrue();
  }

  @Test
  void aBusyPeriodPostponesTheCollectionToTheFirstQuietOne() {
    FakeJvm jvm = new FakeJvm();
    HeapRelease release = jvm.release();
    jvm.heap = 18 * MIB;
    for (int i = 0; i < 3; i++) {
      jvm.requests += 6; // just over one a second
      assertThat(release.check()).isFalse();
    }
    jvm.requests += 5;
    assertThat(release.check()).isTrue();
  }
}
