package io.dbbinding.binding;

/**
 * The names by which a pod says it runs against a binding and which schema it needs. The readiness
 * gate reads them to open a pod's gate; the binding reads them to hold a contract step while a pod
 * still needs the old shape. Defined here because {@code readiness} may use {@code binding}, not
 * the other way round.
 */
public final class GatedPods {
  /** The label naming the pod's DatabaseBinding (same namespace). */
  public static final String BINDING_LABEL = "dbbinding.io/binding";

  /** The annotation with the schema version the pod's code needs. */
  public static final String REQUIRED_VERSION_ANNOTATION = "dbbinding.io/required-schema-version";

  private GatedPods() {}
}
