package io.dbbinding.health;

import java.util.UUID;
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
        .orElseGet(() -> UUID.randomUUID().toString());
  }
}
