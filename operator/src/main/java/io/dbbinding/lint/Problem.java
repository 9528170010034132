package io.dbbinding.lint;

/**
 * One rule a statement breaks.
 *
 * @param script the migration's file name
 * @param line the line the statement starts on, from 1
 * @param rule squawk's rule name, or {@code unparsed}
 * @param message what is wrong and what to write instead
 * @param lock the lock the statement takes and what waits on it
 */
public record Problem(String script, int line, String rule, String message, String lock) {
  /** {@code V2__idx.sql:3 require-concurrent-index-creation: ... (lock: ...)}. */
  public String describe() {
    return script + ":" + line + " " + rule + ": " + message + " (lock: " + lock + ")";
  }
}
