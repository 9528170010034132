package io.dbbinding.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.migrate.SchemaWait.Outcome;
import io.dbbinding.migrate.SchemaWait.Sighting;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The wait's rhythm on a fake clock: when it looks, what it reports, how it ends. */
class SchemaWaitTest {
  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

  /** A clock that moves only when the wait sleeps. */
  private static final class FakeTime extends Clock {
    Instant now = T0;
    final List<Duration> sleeps = new ArrayList<>();

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    void sleep(Duration d) {
      sleeps.add(d);
      now = now.plus(d);
    }
  }

  private static Sighting at(String version) {
    return Sighting.of(Optional.of(SchemaVersion.parse(version)));
  }

  private static SchemaWait waitSeeing(FakeTime time, Sighting... sightings) {
    Deque<Sighting> queue = new ArrayDeque<>(List.of(sightings));
    return new SchemaWait(() -> queue.size() > 1 ? queue.poll() : queue.peek(), time, time::sleep);
  }

  @Test
  void looksEveryIntervalAndReportsOnlyChanges() throws Exception {
    FakeTime time = new FakeTime();
    List<Sighting> reported = new ArrayList<>();
    Outcome o =
        waitSeeing(time, at("1.9"), at("1.9"), at("1.9"), at("1.10"))
            .await(
                SchemaVersion.parse("1.10"),
                Duration.ofMinutes(10),
                Duration.ofSeconds(2),
                reported::add);
    assertThat(o.reached()).isTrue();
    assertThat(o.waited()).isEqualTo(Duration.ofSeconds(6));
    assertThat(time.sleeps).containsOnly(Duration.ofSeconds(2));
    assertThat(reported).containsExactly(at("1.9"), at("1.10"));
  }

  @Test
  void theLastLookIsAtTheTimeout() throws Exception {
    FakeTime time = new FakeTime();
    Outcome o =
        waitSeeing(time, at("3"))
            .await(
                SchemaVersion.parse("5"), Duration.ofMillis(4_500), Duration.ofSeconds(2), s -> {});
    assertThat(o.reached()).isFalse();
    assertThat(time.sleeps)
        .containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(500));
    assertThat(o.waited()).isEqualTo(Duration.ofMillis(4_500));
    assertThat(o.last().version()).contains(SchemaVersion.parse("3"));
  }

  @Test
  void anUnreachableDatabaseIsWaitedThroughRememberingTheLastVersionRead() throws Exception {
    FakeTime time = new FakeTime();
    List<Sighting> reported = new ArrayList<>();
    Outcome o =
        waitSeeing(
                time,
                at("2"),
                Sighting.failed("The database cannot be reached (SQLSTATE 08001)"),
                Sighting.failed("The database cannot be reached (SQLSTATE 08006)"))
            .await(
                SchemaVersion.parse("3"),
                Duration.ofSeconds(10),
                Duration.ofSeconds(2),
                reported::add);
    assertThat(o.reached()).isFalse();
    assertThat(o.last().error()).isPresent();
    assertThat(o.lastVersion()).contains(SchemaVersion.parse("2"));
    assertThat(o.unreachableSince()).contains(T0.plusSeconds(2));
    assertThat(reported).as("one line when it goes down, not one per look").hasSize(2);
  }

  @Test
  void aVersionAlreadyThereEndsAtOnce() throws Exception {
    FakeTime time = new FakeTime();
    Outcome o =
        waitSeeing(time, at("6"))
            .await(SchemaVersion.parse("5"), Duration.ofMinutes(1), Duration.ofSeconds(2), s -> {});
    assertThat(o.reached()).isTrue();
    assertThat(time.sleeps).isEmpty();
  }
}
