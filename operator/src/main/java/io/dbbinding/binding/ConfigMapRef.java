package io.dbbinding.binding;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A ConfigMap in the binding's namespace whose keys are Flyway file names. */
public class ConfigMapRef {
  @Required
  @Size(min = 1, max = 253)
  @Pattern(SecretKeyRef.NAME_PATTERN)
  @JsonPropertyDescription("Name of the ConfigMap.")
  private String name;

  public ConfigMapRef() {}

  public ConfigMapRef(String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
