package io.dbbinding.binding;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Where the database URL is. */
public class DatabaseRef {
  @Required
  @JsonPropertyDescription("The Secret (in the binding's namespace) and key holding the URL.")
  private SecretKeyRef secretRef;

  public SecretKeyRef getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretKeyRef secretRef) {
    this.secretRef = secretRef;
  }
}
