package io.dbbinding.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * Writes each log event as one JSON object on one line: {@code timestamp}, {@code level}, {@code
 * event} (the message, an event name such as {@code application.startup}), {@code logger}, then the
 * event's key-value pairs and MDC, and {@code error} with the stack when there is one.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
  private static final byte[] NO_BYTES = new byte[0];
  private final JsonFactory json = new JsonFactory();

  @Override
  public byte[] headerBytes() {
    return NO_BYTES;
  }

  @Override
  public byte[] footerBytes() {
    return NO_BYTES;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      g.writeStringField("level", event.getLevel().toString());
      g.writeStringField("event", event.getFormattedMessage());
      g.writeStringField("logger", event.getLoggerName());
      if (event.getKeyValuePairs() != null) {
        for (KeyValuePair kv : event.getKeyValuePairs()) {
          writeValue(g, kv.key, kv.value);
        }
      }
      for (Map.Entry<String, String> e : event.getMDCPropertyMap().entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      IThrowableProxy error = event.getThrowableProxy();
      if (error != null) {
        g.writeStringField("error", error.getClassName() + ": " + error.getMessage());
        g.writeStringField("stack", ThrowableProxyUtil.asString(error));
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  private static void writeValue(JsonGenerator g, String key, Object value) throws IOException {
    if (value == null) {
      g.writeNullField(key);
    } else if (value instanceof Integer || value instanceof Long) {
      g.writeNumberField(key, ((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      g.writeNumberField(key, ((Number) value).doubleValue());
    } else if (value instanceof Boolean b) {
      g.writeBooleanField(key, b);
    } else {
      g.writeStringField(key, value.toString());
    }
  }
}
