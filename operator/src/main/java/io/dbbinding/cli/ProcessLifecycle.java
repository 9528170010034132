package io.dbbinding.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a long-running role (sidecar, operator, dev) alive until SIGTERM or Ctrl-C, then lets the
 * main thread shut it down in order and exits 0. The JVM's own exit status after a signal is 143;
 * Kubernetes and people read a clean stop as 0, so the hook ends the process with the status the
 * main thread chose, after the main thread has finished its clean-up.
 */
final class ProcessLifecycle {
  private static final Duration MAX_CLEANUP = Duration.ofSeconds(30);

  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch cleanedUp = new CountDownLatch(1);
  private volatile int exitStatus = ExitCode.OK;
  private volatile Thread interruptOnStop;

  /** Installs the shutdown hook; call once, before the role starts. */
  void install() {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopRequested.countDown();
                  Thread starting = interruptOnStop;
                  if (starting != null) {
                    starting.interrupt();
                  }
                  try {
                    cleanedUp.await(MAX_CLEANUP.toMillis(), TimeUnit.MILLISECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  Runtime.getRuntime().halt(exitStatus);
                },
                "shutdown"));
  }

  /**
   * Installs the hook, waits for a stop request, then closes {@code role}. Returns the exit status:
   * 0 when the role closed cleanly.
   */
  int serveUntilStopped(AutoCloseable role) throws Exception {
    install();
    int status = ExitCode.FAILED;
    try {
      awaitStop();
      role.close();
      status = ExitCode.OK;
    } finally {
      cleanedUp(status);
    }
    return status;
  }

  /**
   * While {@code thread} (or null: none) starts a role that takes a while, a stop request
   * interrupts it, so that it gives up the start and cleans up what it had started.
   */
  void interruptOnStop(Thread thread) {
    interruptOnStop = thread;
  }

  boolean stopRequested() {
    return stopRequested.getCount() == 0;
  }

  /** Blocks the main thread until a stop is requested. */
  void awaitStop() throws InterruptedException {
    stopRequested.await();
  }

  /** The role has been stopped and cleaned up; the process may end with {@code status}. */
  void cleanedUp(int status) {
    exitStatus = status;
    cleanedUp.countDown();
  }
}
