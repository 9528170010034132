package io.dbbinding.binding;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Optional;

/**
 * Secrets and ConfigMaps as the operator's informers have cached them: no API call per reconcile.
 *
 * @param watchLabelSelector the selector the informers watch with; null when they watch all
 */
record InformerLookup(
    InformerEventSource<Secret, DatabaseBinding> secrets,
    InformerEventSource<ConfigMap, DatabaseBinding> configMaps,
    String watchLabelSelector)
    implements ResourceLookup {

  @Override
  public Optional<Secret> secret(String namespace, String name) {
    return secrets.get(new ResourceID(name, namespace));
  }

  @Override
  public Optional<ConfigMap> configMap(String namespace, String name) {
    return configMaps.get(new ResourceID(name, namespace));
  }

  @Override
  public String scope() {
    return watchLabelSelector == null
        ? ""
        : " (the operator reads only those labelled " + watchLabelSelector + ")";
  }
}
