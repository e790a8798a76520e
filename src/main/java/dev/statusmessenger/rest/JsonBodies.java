package dev.statusmessenger.rest;

import dev.statusmessenger.wire.JsonPlatform;
import dev.statusmessenger.wire.JsonDepth;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads request bodies as JSON within a size limit, and their fields with errors that name the
 * field and say what was expected.
 */
final class JsonBodies {

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
      throw new Problem(
          Response.Status.REQUEST_ENTITY_TOO_LARGE,
          "The body is larger than " + maxBytes + " bytes");
    }
    if (bytes.length == 0) {
      throw Problem.badRequest("The body is empty; a JSON object is expected");
    }
    if (JsonDepth.exceeds(new String(bytes, StandardCharsets.UTF_8), JsonDepth.MAX)) {
      throw Problem.badRequest("The body nests deeper than " + JsonDepth.MAX + " levels");
    }
    try (JsonReader reader = JsonPlatform.JSON.createReader(new ByteArrayInputStream(bytes))) {
      JsonValue value = reader.readValue();
      if (value instanceof JsonStructure structure) {
        return structure;
      }
      throw Problem.badRequest("The body must be a JSON object or array");
    } catch (JsonException | IllegalStateException e) {
      throw Problem.badRequest("The body is not valid JSON");
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
