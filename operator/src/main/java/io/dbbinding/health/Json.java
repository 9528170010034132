package io.dbbinding.health;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Writes the flat JSON objects of the API. jackson-core's streaming writer is enough for these
 * bodies and keeps jackson-databind's start-up cost out of the sidecar.
 */
final class Json {
  private static final JsonFactory FACTORY = new JsonFactory();

  private Json() {}

  static byte[] object(Map<String, ?> fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(96);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      for (Map.Entry<String, ?> e : fields.entrySet()) {
        Object v = e.getValue();
        if (v instanceof Number n) {
          g.writeNumberField(e.getKey(), n.longValue());
        } else if (v instanceof Boolean b) {
          g.writeBooleanField(e.getKey(), b);
        } else {
          g.writeStringField(e.getKey(), String.valueOf(v));
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
