package io.dbbinding.chart;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Rendered YAML parsed into Kubernetes objects, so that tests assert on fields, not text. */
final class Manifests {
  private Manifests() {}

  static List<HasMetadata> parse(String yaml) {
    try (KubernetesClient offline = new KubernetesClientBuilder().build()) {
      return offline.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
    }
  }

  static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
    List<T> found = all(objects, type);
    if (found.size() != 1) {
      throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
    }
    return found.get(0);
  }

  /** The one object of {@code type} called {@code name}. */
  static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> type, String name) {
    List<T> found =
        all(objects, type).stream().filter(o -> name.equals(o.getMetadata().getName())).toList();
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one " + type.getSimpleName() + " " + name + ", found " + found.size());
    }
    return found.get(0);
  }
}
