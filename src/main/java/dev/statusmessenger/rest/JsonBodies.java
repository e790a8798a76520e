package dev.statusmessenger.rest;

import dev.statusmessenger.wire.StrictJson;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads request bodies as JSON within a size limit, and their fields with errors that name the
 * field and say what was expected.
 */
final class JsonBodies {

  /** How much of a too-large body is read and dropped before answering 413. */
  static final long DRAIN_LIMIT = 8L * 1024 * 1024;

  private JsonBodies() {}

  /** Reads the whole body, refusing it (413) past {@code maxBytes}, and parses it as JSON. */
  static JsonStructure read(InputStream body, int maxBytes) {
    byte[] bytes;
    try {
      bytes = body.readNBytes(maxBytes + 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (bytes.length > maxBytes) {
      drain(body);
    }
    try {
      return parse(bytes, maxBytes);
    } catch (BadBody e) {
      throw e.status == 413
          ? new Problem(Response.Status.REQUEST_ENTITY_TOO_LARGE, e.getMessage())
          : Problem.badRequest(e.getMessage());
    }
  }

  /**
   * Reads and drops the rest of a body that is too large, up to {@link #DRAIN_LIMIT} bytes, so the
   * client hears the 413: a client that sends its whole body before it reads the answer (the JDK's
   * HTTP client on an h2c upgrade) would otherwise wait on a server that stopped reading.
   */
  private static void drain(InputStream body) {
    try {
      byte[] sink = new byte[8192];
      long left = DRAIN_LIMIT;
      for (int n; left > 0 && (n = body.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
        left -= n;
      }
    } catch (IOException e) {
      // the client went away; the 413 is answered or not, either way the body is not taken
    }
  }

  /**
   * Parses a body strictly (see {@link StrictJson}): a JSON object or array in UTF-8 of at most
   * {@code maxBytes}; anything else is a {@link BadBody} that says what was wrong.
   */
  static JsonStructure parse(byte[] bytes, int maxBytes) throws BadBody {
    if (bytes.length > maxBytes) {
      throw new BadBody(413, "The body is larger than " + maxBytes + " bytes");
    }
    if (bytes.length == 0) {
      throw new BadBody(400, "The body is empty; a JSON object is expected");
    }
    try {
      JsonValue value = StrictJson.parse(StrictJson.decodeUtf8(bytes));
      if (value instanceof JsonStructure structure) {
        return structure;
      }
    } catch (StrictJson.InvalidJson e) {
      throw new BadBody(400, "The body is " + e.fault().description());
    }
    throw new BadBody(400, "The body must be a JSON object or array");
  }

  /** A body refused before any resource looked at it: 400 or 413, with the detail. */
  static final class BadBody extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    BadBody(int status, String detail) {
      super(detail, null, false, false);
      this.status = status;
    }
  }

  /** Reads a body that must be one JSON object. */
  static JsonObject readObject(InputStream body, int maxBytes) {
    if (read(body, maxBytes) instanceof JsonObject object) {
      return object;
    }
    throw Problem.badRequest("The body must be a JSON object");
  }

  /** A required string field. */
  static String requiredString(JsonObject object, String field) {
    JsonValue v = object.get(field);
    if (v instanceof JsonString s) {
      return s.getString();
    }
    throw Problem.badRequest(
        v == null || v == JsonValue.NULL
            ? "\"" + field + "\" is required"
            : "\"" + field + "\" must be a string");
  }

  /** An optional string field; absent or null gives null. */
  static String optionalString(JsonObject object, String field) {
    JsonValue v = object.get(field);
    if (v == null || v == JsonValue.NULL) {
      return null;
    }
    if (v instanceof JsonString s) {
      return s.getString();
    }
    throw Problem.badRequest("\"" + field + "\" must be a string");
  }

  /** An optional object field; absent or null gives null. */
  static JsonObject optionalObject(JsonObject object, String field) {
    JsonValue v = object.get(field);
    if (v == null || v == JsonValue.NULL) {
      return null;
    }
    if (v instanceof JsonObject o) {
      return o;
    }
    throw Problem.badRequest("\"" + field + "\" must be a JSON object");
  }

  /** A non-negative whole number from a query parameter; absent gives the fallback. */
  static long cursorParam(String name, String value, long fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed >= 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw Problem.badRequest("\"" + name + "\" must be a whole number from 0 up");
  }
}
