package io.dbbinding.binding;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/**
 * Where a binding's Secret and ConfigMaps come from: the informer caches in the operator ({@link
 * InformerLookup}), a map in unit tests.
 */
public interface ResourceLookup {
  Optional<Secret> secret(String namespace, String name);

  Optional<ConfigMap> configMap(String namespace, String name);

  /** Appended to "not found": which Secrets and ConfigMaps can be found at all. */
  default String scope() {
    return "";
  }
}
