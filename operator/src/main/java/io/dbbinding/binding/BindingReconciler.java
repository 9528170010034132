package io.dbbinding.binding;

import io.dbbinding.binding.Observation.Retry;
import io.dbbinding.lint.MigrationLinter;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a DatabaseBinding: reads its Secret, connects, applies its migrations, and patches the
 * status only when it changed. Transient failures are thrown so that the SDK retries them with
 * backoff; the others are reported and re-checked at {@code checkInterval}, never in a hot loop. A
 * change to the Secret or to a ConfigMap it names triggers a reconcile.
 */
@ControllerConfiguration(name = BindingReconciler.NAME)
public final class BindingReconciler implements Reconciler<DatabaseBinding> {
  public static final String NAME = "databasebinding";

  /** The floor of checkInterval: a typo such as 1ms must not make a hot loop. */
  static final Duration MIN_CHECK_INTERVAL = Duration.ofSeconds(5);

  private static final Duration FORGET_EVERY = Duration.ofMinutes(1);

  /** How soon a binding waiting for the migration lock looks again. */
  static final Duration WAIT_RECHECK = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(BindingReconciler.class);

  private final BindingDatabase database;
  private final MigrationMemory memory;
  private final SchemaBaselines baselines = new SchemaBaselines();
  private final MigrationLinter linter;
  private final BindingEvents events;
  private final BindingMetrics metrics;
  private final Clock clock;
  private final String watchLabelSelector;
  private final AtomicLong lastForget = new AtomicLong();

  private volatile IndexerResourceCache<DatabaseBinding> primaryCache;

  /** Built once the informers it reads from exist. */
  private volatile BindingObserver observer;

  /**
   * @param database where bindings' databases are reached: {@link PostgresBindingDatabase}
   * @param watchLabelSelector when not empty, only the Secrets and ConfigMaps it matches are
   *     watched and cached; a binding referring to another one sees it as not found
   */
  public BindingReconciler(
      BindingDatabase database,
      BindingEvents events,
      BindingMetrics metrics,
      Clock clock,
      String watchLabelSelector) {
    this.database = database;
    this.memory = new MigrationMemory(clock);
    this.linter = new MigrationLinter();
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
    this.watchLabelSelector = watchLabelSelector.isBlank() ? null : watchLabelSelector;
  }

  @Override
  public List<EventSource<?, DatabaseBinding>> prepareEventSources(
      EventSourceContext<DatabaseBinding> context) {
    primaryCache = context.getPrimaryCache();
    BindingEventSources sources = BindingEventSources.create(context, watchLabelSelector);
    observer =
        new BindingObserver(
            new BindingInputs(sources.lookup()),
            database,
            new MigrationPass(memory, linter, sources.rollout(context.getClient())),
            new SchemaDriftCheck(baselines));
    return sources.all();
  }

  @Override
  public UpdateControl<DatabaseBinding> reconcile(
      DatabaseBinding binding, Context<DatabaseBinding> context) throws BindingFailure {
    long start = System.nanoTime();
    forgetDeleted(context);
    Observation o = observer.observe(binding);
    if (o.isDeferred()) {
      metrics.deferred();
      return UpdateControl.<DatabaseBinding>noUpdate().rescheduleAfter(deferral());
    }
    metrics.reconciled(binding, o, System.nanoTime() - start);
    log.atInfo()
        .setMessage("binding.reconciled")
        .addKeyValue("binding", id(binding))
        .addKeyValue("ready", o.failure() == null)
        .addKeyValue("reason", o.failure() == null ? Reasons.READY : o.failure().reason())
        .addKeyValue("applied", o.applied().size())
        .addKeyValue("duration_ms", (System.nanoTime() - start) / 1_000_000)
        .log();
    if (o.retry() == Retry.TRANSIENT) {
      throw new BindingFailure(o);
    }
    DatabaseBindingStatus next = BindingStatuses.next(binding, o, now());
    events.publish(binding, binding.getStatus(), next, o);
    if (DriftOutcome.newlyDrifted(binding.getStatus(), next)) {
      metrics.schemaDrifted();
    }
    // Waiting for another run's lock: looked at again soon, without the backoff of a failure.
    Duration interval = o.retry() == Retry.WAITING ? WAIT_RECHECK : checkInterval(binding);
    if (next.equals(binding.getStatus())) {
      return UpdateControl.<DatabaseBinding>noUpdate().rescheduleAfter(interval);
    }
    return UpdateControl.patchStatus(withStatus(binding, next)).rescheduleAfter(interval);
  }

  @Override
  public ErrorStatusUpdateControl<DatabaseBinding> updateErrorStatus(
      DatabaseBinding binding, Context<DatabaseBinding> context, Exception e) {
    if (!(e instanceof BindingFailure failure)) {
      log.atError()
          .setMessage("binding.reconcile_error")
          .addKeyValue("binding", id(binding))
          .addKeyValue("type", e.getClass().getName())
          .setCause(e)
          .log();
      return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
    DatabaseBindingStatus next = BindingStatuses.next(binding, failure.observation(), now());
    events.publish(binding, binding.getStatus(), next, failure.observation());
    ErrorStatusUpdateControl<DatabaseBinding> control =
        next.equals(binding.getStatus())
            ? ErrorStatusUpdateControl.noStatusUpdate()
            : ErrorStatusUpdateControl.patchStatus(withStatus(binding, next));
    // The SDK's retry only paces the attempts; the binding's spec.retryLimit, counted in
    // status.failures (which survives a restart of the operator), decides when they stop. After
    // that, keep checking at the binding's own pace rather than never again.
    boolean exhausted = BindingStatuses.retryLimitReached(binding, BindingStatuses.failures(next));
    return exhausted ? control.withNoRetry().rescheduleAfter(checkInterval(binding)) : control;
  }

  /**
   * Drops, at most once a minute, what was remembered of bindings that are gone (deleted, or
   * recreated under a new uid), so that an operator running for months beside short-lived bindings
   * (preview environments) does not grow.
   */
  private void forgetDeleted(Context<DatabaseBinding> context) {
    long now = clock.millis();
    long last = lastForget.get();
    if (now - last < FORGET_EVERY.toMillis() || !lastForget.compareAndSet(last, now)) {
      return;
    }
    List<DatabaseBinding> current = context.getPrimaryCache().list().toList();
    memory.retainOnly(current.stream());
    baselines.retainOnly(current.stream());
    metrics.retain(current.stream());
  }

  /**
   * Sets the per-binding gauges from the bindings in this replica's cache (a follower's equals the
   * leader's); called before each scrape of {@code /metrics}.
   */
  public void refreshMetrics() {
    IndexerResourceCache<DatabaseBinding> cache = primaryCache;
    metrics.refresh(cache == null ? List.of() : cache.list().toList());
  }

  /** A fresh object holding only identity and status: what a status patch should carry. */
  private static DatabaseBinding withStatus(DatabaseBinding binding, DatabaseBindingStatus status) {
    DatabaseBinding patch = new DatabaseBinding();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(binding.getMetadata().getName())
            .withNamespace(binding.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    return patch;
  }

  /**
   * When a deferred routine check tries again: soon, and spread, so that the checks put off in a
   * burst do not all come back at the same moment.
   */
  private static Duration deferral() {
    return Duration.ofMillis(500 + java.util.concurrent.ThreadLocalRandom.current().nextLong(2500));
  }

  static Duration checkInterval(DatabaseBinding binding) {
    Duration d = Durations.parse(binding.getSpec().getCheckInterval(), Duration.ofSeconds(60));
    return d.compareTo(MIN_CHECK_INTERVAL) < 0 ? MIN_CHECK_INTERVAL : d;
  }

  private String now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  private static String id(DatabaseBinding b) {
    return key(b.getMetadata().getNamespace(), b.getMetadata().getName());
  }
}
