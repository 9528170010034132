package io.dbbinding.health;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The {@code X-Request-ID} of a request: the caller's when it is a sensible token (so that it can
 * be followed through logs), otherwise a new UUID. A caller's value is never trusted into a log
 * line unchecked.
 */
public final class RequestIds {
  public static final String HEADER = "X-Request-ID";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

  private RequestIds() {}

  public static String of(Request request) {
    return request
        .header(HEADER)
        .map(String::strip)
        .filter(id -> SAFE.matcher(id).matches())
        .orElseGet(RequestIds::newId);
  }

  /**
   * A random (version 4) UUID from the thread's own generator: an id must be unique, not secret,
   * and {@code UUID.randomUUID()}'s SecureRandom is one lock that every request took in turn.
   */
  static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
