package io.dbbinding.binding;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A key of a Secret in the binding's namespace. */
public class SecretKeyRef {
  /** A DNS subdomain name, as Kubernetes requires of object names. */
  static final String NAME_PATTERN = "^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$";

  @Required
  @Size(min = 1, max = 253)
  @Pattern(NAME_PATTERN)
  @JsonPropertyDescription("Name of the Secret.")
  private String name;

  @Default("DATABASE_URL")
  @Pattern("^[-._a-zA-Z0-9]+$")
  @JsonPropertyDescription("Key of the Secret holding the URL (default DATABASE_URL).")
  private String key = "DATABASE_URL";

  public SecretKeyRef() {}

  public SecretKeyRef(String name, String key) {
    this.name = name;
    this.key = key;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }
}
