package io.dbbinding.binding;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** How the pod readiness gate {@code dbbinding.io/ready} treats this binding's pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReadinessGateSpec {
  @Pattern(DatabaseBindingSpec.DURATION_PATTERN)
  @JsonPropertyDescription(
      "Off when unset. A pod whose gate has been False this long (counted from the pod's"
          + " creation or the gate's last turn to False, at the earliest from the binding's"
          + " creation) gets it True with reason FailedOpen and a Warning Event: availability"
          + " over strictness. A duration such as 10m.")
  private String failOpenAfter;

  public String getFailOpenAfter() {
    return failOpenAfter;
  }

  public void setFailOpenAfter(String failOpenAfter) {
    this.failOpenAfter = failOpenAfter;
  }
}
