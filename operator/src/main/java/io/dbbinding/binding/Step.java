package io.dbbinding.binding;

/**
 * The outcome of one part of a reconcile, as a condition will show it.
 *
 * @param status True, False or Unknown
 * @param reason one of {@link Reasons}
 * @param message what happened and what to do next; never a credential
 */
public record Step(String status, String reason, String message) {
  public static Step ok(String reason, String message) {
    return new Step(Conditions.TRUE, reason, message);
  }

  public static Step failed(String reason, String message) {
    return new Step(Conditions.FALSE, reason, message);
  }

  public static Step unknown(String reason, String message) {
    return new Step(Conditions.UNKNOWN, reason, message);
  }

  public boolean isTrue() {
    return Conditions.TRUE.equals(status);
  }
}
