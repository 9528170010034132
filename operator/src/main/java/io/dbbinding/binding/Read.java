package io.dbbinding.binding;

import io.dbbinding.binding.Observation.Retry;

/**
 * What reading one input of a binding gave: the value, or the failed step that says why not and
 * whether trying again can help.
 */
record Read<T>(T value, Step failure, Retry retry) {
  static <T> Read<T> ok(T value) {
    return new Read<>(value, null, Retry.NONE);
  }

  static <T> Read<T> failed(String reason, String message, Retry retry) {
    return new Read<>(null, Step.failed(reason, message), retry);
  }

  boolean isOk() {
    return failure == null;
  }
}
