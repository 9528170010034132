package io.dbbinding.binding;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What the operator remembers between checks is dropped once its binding is gone. */
class BindingMemoryTest {
  private static DatabaseBinding binding(String ns, String name, String uid) {
    DatabaseBinding b = new DatabaseBinding();
    b.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).withUid(uid).build());
    return b;
  }

  @Test
  void deletedAndRecreatedBindingsAreForgottenAndCurrentOnesKept() {
    DatabaseBinding orders = binding("shop", "orders", "uid-2");
    DatabaseBinding ordersBefore = binding("shop", "orders", "uid-1"); // deleted, then recreated
    DatabaseBinding billing = binding("billing", "invoices", "uid-3"); // deleted
    DatabaseBinding other = binding("other", "orders", "uid-4");
    Map<String, String> memory = new HashMap<>();
    for (DatabaseBinding b : new DatabaseBinding[] {orders, ordersBefore, billing, other}) {
      memory.put(MigrationMemory.key(b), b.getMetadata().getUid());
    }

    MigrationMemory.retain(memory, Stream.of(orders, other));

    assertThat(memory.values()).containsExactlyInAnyOrder("uid-2", "uid-4");
  }
}
