package io.dbbinding.binding;

import java.util.List;

/**
 * What a binding's pods and ReplicaSets declare about the schema their code needs. Asked only while
 * a contract step is pending; {@link KubernetesRolloutView} in the operator.
 */
public interface RolloutView {
  /** The live pods labelled for {@code binding} and its ReplicaSets that still want pods. */
  List<DeclaredVersion> declared(DatabaseBinding binding);

  /** No gated pods anywhere: contract steps are applied at once. */
  static RolloutView none() {
    return binding -> List.of();
  }
}
