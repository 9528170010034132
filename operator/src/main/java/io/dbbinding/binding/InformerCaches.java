package io.dbbinding.binding;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;

/**
 * How every informer of the operator caches, in one place: event sources are built from {@link
 * #informer} and reconcilers' own informers set with {@link #configure}. Its store keeps each
 * resource as the API sent it, less {@code metadata.managedFields}. Nothing of the operator reads
 * field ownership (status is server-side applied from a binding that holds only its name and
 * status, pods are patched by strategic merge), yet the field sets of a binding with its six
 * conditions parse to about 35 maps, more than the rest of the binding: at 10,000 bindings, cached
 * twice (once by each reconciler), they filled most of the chart's heap (bench/RESULTS.md,
 * "Operator at scale"). kube-controller-manager and controller-runtime ({@code
 * TransformStripManagedFields}) drop them for the same reason.
 *
 * <p>And the page size of their lists: an informer's first list (and each re-list after a lost
 * watch) otherwise reads every resource in one response, held whole, managed fields and all, until
 * the last one is parsed; 10,000 bindings read at once by both reconcilers' informers took the heap
 * to its cap at every start.
 */
public final class InformerCaches {
  /** Resources per list request. */
  static final long LIST_PAGE = 500;

  private InformerCaches() {}

  /** An event source's informer of {@code type}, for {@code primary} resources. */
  public static <R extends HasMetadata> InformerEventSourceConfiguration.Builder<R> informer(
      Class<R> type, Class<? extends HasMetadata> primary) {
    return InformerEventSourceConfiguration.from(type, primary)
        .withItemStore(withoutManagedFields())
        .withInformerListLimit(LIST_PAGE);
  }

  /** A reconciler's own informer. */
  public static <R extends HasMetadata> void configure(ControllerConfigurationOverrider<R> o) {
    o.withItemStore(withoutManagedFields());
    o.withInformerListLimit(LIST_PAGE);
  }

  /** A new store (one per informer) that keeps resources without their managed fields. */
  static <R extends HasMetadata> ItemStore<R> withoutManagedFields() {
    return new TransformingItemStore<>(InformerCaches::stripped);
  }

  private static <R extends HasMetadata> R stripped(R resource) {
    resource.getMetadata().setManagedFields(null);
    return resource;
  }
}
