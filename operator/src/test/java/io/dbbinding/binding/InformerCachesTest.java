package io.dbbinding.binding;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the informers keep of a resource: all of it but the managed fields. */
class InformerCachesTest {
  private static DatabaseBinding binding(String name) {
    FieldsV1 fields = new FieldsV1();
    fields.setAdditionalProperty("f:status", Map.of("f:conditions", Map.of()));
    DatabaseBinding b = new DatabaseBinding();
    b.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("shop")
            .withName(name)
            .withUid("uid-" + name)
            .withResourceVersion("42")
            .withGeneration(3L)
            .withLabels(Map.of("team", "orders"))
            .withManagedFields(
                new ManagedFieldsEntryBuilder()
                    .withManager("dbbinding")
                    .withOperation("Apply")
                    .withSubresource("status")
                    .withFieldsV1(fields)
                    .build())
            .build());
    DatabaseBindingSpec spec = new DatabaseBindingSpec();
    spec.setDatabase(new DatabaseRef());
    b.setSpec(spec);
    return b;
  }

  @Test
  void aCachedResourceKeepsEverythingButItsManagedFields() {
    ItemStore<DatabaseBinding> store = InformerCaches.withoutManagedFields();
    DatabaseBinding sent = binding("orders");

    store.put(store.getKey(sent), sent);

    DatabaseBinding cached = store.get(Cache.metaNamespaceKeyFunc(sent));
    assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(cached.getMetadata().getName()).isEqualTo("orders");
    assertThat(cached.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(cached.getMetadata().getGeneration()).isEqualTo(3L);
    assertThat(cached.getMetadata().getLabels()).containsEntry("team", "orders");
    assertThat(cached.getSpec()).isEqualTo(sent.getSpec());
  }

  @Test
  void eachInformerGetsAStoreOfItsOwn() {
    ItemStore<DatabaseBinding> first = InformerCaches.withoutManagedFields();
    ItemStore<DatabaseBinding> second = InformerCaches.withoutManagedFields();
    DatabaseBinding b = binding("orders");

    first.put(first.getKey(b), b);

    assertThat(first.size()).isEqualTo(1);
    assertThat(second.size()).isZero();
  }

  @Test
  void anEventSourcesInformerCachesWithoutManagedFieldsAndListsInPages() {
    InformerConfiguration<Secret> config =
        InformerCaches.informer(Secret.class, DatabaseBinding.class)
            .withName("secrets")
            .build()
            .getInformerConfig();

    assertThat(config.getItemStore()).isNotNull();
    assertThat(config.getInformerListLimit()).isEqualTo(InformerCaches.LIST_PAGE);
    Secret sent = new Secret();
    sent.setMetadata(binding("s").getMetadata());
    config.getItemStore().put(config.getItemStore().getKey(sent), sent);
    assertThat(config.getItemStore().get("shop/s").getMetadata().getManagedFields())
        .isNullOrEmpty();
  }
}
