package io.dbbinding.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HeapReleaseTest {
  private static final long MIB = 1024 * 1024;

  /** The image's MaxHeapFreeRatio (20 %) and NewRatio (2): heap = live / 0.8 * 1.5. */
  private static final double HEAP_PER_LIVE_BYTE = 1.875;

  /** A Serial JVM whose full collection leaves the heap at its live data times the ratios. */
  private static final class FakeJvm {
    long requests;
    long heap = 12 * MIB;
    long live = 8 * MIB;
    long liveAtLastCollection; // no full collection yet
    int collections;

    HeapRelease release() {
      return new HeapRelease(
          () -> requests,
          () -> heap,
          () -> liveAtLastCollection,
          HEAP_PER_LIVE_BYTE,
          8 * MIB,
          () -> {
            collections++;
            liveAtLastCollection = live;
            heap = (long) (live * HEAP_PER_LIVE_BYTE);
          },
          Duration.ofSeconds(5));
    }
  }

  @Test
  void collectsOnceWhenABurstIsOverAndTheHeapWouldShrink() {
    FakeJvm jvm = new FakeJvm();
    HeapRelease release = jvm.release();

    jvm.requests += 100_000; // the burst, its heap as it began
    assertThat(release.check()).as("during the burst, the heap as it was").isFalse();

    jvm.heap = 20 * MIB; // grown by the end of it
    jvm.requests += 2; // probes only
    assertThat(release.check()).isTrue();
    assertThat(jvm.collections).isEqualTo(1);
    assertThat(jvm.heap).isEqualTo(15 * MIB);

    jvm.requests += 3;
    assertThat(release.check()).as("nothing to give back since").isFalse();
    assertThat(jvm.collections).isEqualTo(1);
  }

  @Test
  void duringABurstCollectsEachTimeTheHeapHasGrownByMoreThanTheSlack() {
    FakeJvm jvm = new FakeJvm();
    HeapRelease release = jvm.release();
    jvm.live = 9 * MIB; // the requests in flight count as live under load

    jvm.requests += 30_000;
    jvm.heap = 12 * MIB + HeapRelease.SLACK_BYTES; // not more than the slack since start
    assertThat(release.check()).isFalse();

    jvm.requests += 30_000;
    jvm.heap = 20 * MIB; // new connections' buffers promoted
    assertThat(release.check()).isTrue();
    long afterFirst = jvm.heap;
    assertThat(afterFirst).isEqualTo((long) (9 * MIB * HEAP_PER_LIVE_BYTE));

    jvm.requests += 30_000;
    assertThat(release.check()).as("the heap has not grown since").isFalse();
    jvm.requests += 30_000;
    jvm.heap = afterFirst + HeapRelease.SLACK_BYTES + 1;
    assertThat(release.check()).isTrue();
    assertThat(jvm.collections).isEqualTo(2);
  }

  @Test
  void aBurstsLiveDataIsNotWhatTheQuietHeapIsJudgedBy() {
    FakeJvm jvm = new FakeJvm();
    HeapRelease release = jvm.release();
    jvm.live = 11 * MIB; // in flight during the burst
    jvm.requests += 50_000;
    jvm.heap = 20 * MIB;
    assertThat(release.check()).isTrue();
    assertThat(jvm.heap).isEqualTo((long) (11 * MIB * HEAP_PER_LIVE_BYTE));

    jvm.live = 8 * MIB; // the burst is over: 8 MiB live leave 15 MiB
    jvm.requests += 1;
    assertThat(release.check()).as("the burst's 11 MiB would say no").isTrue();
    assertThat(jvm.heap).isEqualTo(15 * MIB);
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
  void aHeapThatWouldNotShrinkIsLeftAlone() {
    FakeJvm jvm = new FakeJvm();
    HeapRelease release = jvm.release();
    // 8 MiB live leave a 15 MiB heap: grown to 16 it has no more than the slack to give back (and
    // collecting a heap smaller than 15 would make Serial size it up).
    jvm.heap = 15 * MIB + HeapRelease.SLACK_BYTES;
    assertThat(release.check()).isFalse();
    jvm.heap += 1;
    assertThat(release.check()).isTrue();
  }

  @Test
  void theLiveDataOfItsOwnLastCollectionIsWhatItComparesWith() {
    FakeJvm jvm = new FakeJvm();
    HeapRelease release = jvm.release();
    jvm.heap = 20 * MIB;
    jvm.live = 4 * MIB;
    jvm.requests += 1;
    assertThat(release.check()).isTrue();
    assertThat(jvm.heap).isEqualTo((long) (7.5 * MIB));
    jvm.heap = 10 * MIB; // 8 MiB at start would say no; 4 MiB live say yes
    jvm.requests += 1;
    assertThat(release.check()).isTrue();
  }

  @Test
  void theJvmsOwnCollectionsUnderLoadAreNoGuide() {
    FakeJvm jvm = new FakeJvm();
    HeapRelease release = jvm.release();
    jvm.liveAtLastCollection = 11 * MIB; // counted the requests in flight as live
    jvm.heap = 20 * MIB; // 11 MiB would say no (20.6 MiB after); the 8 after start say yes
    jvm.requests += 1;
    assertThat(release.check()).isTrue();
  }

  @Test
  void aBusyPeriodWhoseHeapStaysPutWaitsForTheFirstQuietOne() {
    FakeJvm jvm = new FakeJvm();
    HeapRelease release = jvm.release();
    jvm.heap = 12 * MIB + HeapRelease.SLACK_BYTES; // above what 8 MiB live leave, but not grown
    for (int i = 0; i < 3; i++) {
      jvm.requests += 6; // just over one a second
      assertThat(release.check()).isFalse();
    }
    jvm.heap = 17 * MIB;
    jvm.requests += 5;
    assertThat(release.check()).isTrue();
    assertThat(jvm.heap).isEqualTo(15 * MIB);
  }
}
