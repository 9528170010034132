package io.dbbinding.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.migrate.OrphanPolicy.Action;
import io.dbbinding.migrate.OrphanPolicy.Decision;
import io.dbbinding.migrate.OwnerLiveness.Answer;
import io.dbbinding.migrate.OwnerLiveness.State;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which lock holders are waited for, and which are released: no database needed. */
class OrphanPolicyTest {
  private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");
  private static final Duration GRACE = Duration.ofSeconds(60);
  private static final String RUN = "dbbinding:shop/orders-migrate-x|";
  private static final Optional<RunName> OWNER = RunName.owner(RUN);

  private static LockHolder holder(String applicationName) {
    return new LockHolder(
        4242, applicationName, "idle", Instant.parse("2026-12-05T07:50:00Z"), "app");
  }

  private static Decision decide(Answer answer, Optional<Instant> goneSince) {
    return OrphanPolicy.decide(holder(RUN), OWNER, answer, goneSince, GRACE, NOW);
  }

  @Test
  void aSessionThatIsNoRunIsLeftToFlyway() {
    Decision d =
        OrphanPolicy.decide(
            holder("psql"), RunName.owner("psql"), null, Optional.empty(), GRACE, NOW);
    assertThat(d.action()).isEqualTo(Action.PROCEED);
  }

  @Test
  void aRunWhosePodLivesIsWaitedForAndNamed() {
    Decision d = decide(new Answer(State.ALIVE, "pod phase Running"), Optional.empty());
    assertThat(d.action()).isEqualTo(Action.WAIT);
    assertThat(d.message())
        .contains("pid 4242", RUN, "a running migrator (pod shop/orders-migrate-x)");
  }

  @Test
  void anOwnerThatCannotBeLookedUpIsNeverReleased() {
    Decision d =
        decide(new Answer(State.UNKNOWN, "HTTP 403"), Optional.of(NOW.minus(Duration.ofHours(1))));
    assertThat(d.action()).isEqualTo(Action.WAIT);
    assertThat(d.message()).contains("cannot be looked up (HTTP 403)", "never terminated");
  }

  @Test
  void aGoneOwnerIsWaitedOutForTheGraceAndSaysWhen() {
    Instant since = NOW.minusSeconds(20);
    Decision d = decide(new Answer(State.GONE, "no such pod"), Optional.of(since));
    assertThat(d.action()).isEqualTo(Action.WAIT_FOR_GRACE);
    assertThat(d.releaseAt()).isEqualTo(since.plus(GRACE));
    assertThat(d.message())
        .contains(
            "pid 4242",
            "owner pod shop/orders-migrate-x is gone (no such pod) since " + since,
            "terminated at " + since.plus(GRACE),
            "orphanedLockGrace 60s");
  }

  @Test
  void aGoneOwnerIsReleasedOnceTheGraceHasPassed() {
    Instant since = NOW.minus(GRACE);
    Decision d = decide(new Answer(State.GONE, "pod phase Failed"), Optional.of(since));
    assertThat(d.action()).isEqualTo(Action.RELEASE);
    assertThat(d.message())
        .startsWith("Terminated session pid 4242 (application_name '" + RUN)
        .contains("connected since 2026-12-05T07:50:00Z", "pod phase Failed", "since " + since);
  }

  @Test
  void aFirstSightingStartsTheGraceNow() {
    Decision d = decide(new Answer(State.GONE, "no such pod"), Optional.empty());
    assertThat(d.action()).isEqualTo(Action.WAIT_FOR_GRACE);
    assertThat(d.releaseAt()).isEqualTo(NOW.plus(GRACE));
  }

  @Test
  void aZeroGraceReleasesAtFirstSight() {
    Decision d =
        OrphanPolicy.decide(
            holder(RUN),
            OWNER,
            new Answer(State.GONE, "no such pod"),
            Optional.of(NOW),
            Duration.ZERO,
            NOW);
    assertThat(d.action()).isEqualTo(Action.RELEASE);
  }

  @Test
  void theGraceIsRememberedPerSessionWithAClock() {
    java.util.concurrent.atomic.AtomicReference<Instant> now =
        new java.util.concurrent.atomic.AtomicReference<>(NOW);
    java.time.Clock clock =
        new java.time.Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
          }

          @Override
          public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now.get();
          }
        };
    GoneOwners gone = new GoneOwners(clock);
    LockHolder h = holder(RUN);
    assertThat(gone.goneSince(h)).isEqualTo(NOW);
    now.set(NOW.plusSeconds(30));
    assertThat(gone.goneSince(h)).isEqualTo(NOW);
    gone.forget(h);
    assertThat(gone.goneSince(h)).isEqualTo(NOW.plusSeconds(30));
    now.set(NOW.plus(Duration.ofDays(1)));
    assertThat(gone.goneSince(holder("dbbinding:other/pod|"))).isEqualTo(now.get());
    assertThat(gone.size()).isEqualTo(1);
  }
}
