package io.dbbinding.health;

import io.dbbinding.db.DatabaseError;
import io.dbbinding.db.NotFoundError;
import io.dbbinding.db.ValidationError;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns an exception into a JSON response: the {@link DatabaseError} family answers {@code
 * {"error": message, "type": class}} ({@code NotFoundError} 404, {@code ValidationError} 422, any
 * other 500); anything else is a bare 500, because its message was not written for the caller.
 */
public final class ErrorResponses {
  private ErrorResponses() {}

  public static Response of(Throwable error) {
    if (error instanceof DatabaseError db) {
      Map<String, String> body = new LinkedHashMap<>();
      body.put("error", db.getMessage());
      body.put("type", db.getClass().getSimpleName());
      return Response.json(status(db), body);
    }
    return Response.detail(500, "Internal Server Error");
  }

  static int status(DatabaseError error) {
    if (error instanceof NotFoundError) {
      return 404;
    }
    if (error instanceof ValidationError) {
      return 422;
    }
    return 500;
  }
}
