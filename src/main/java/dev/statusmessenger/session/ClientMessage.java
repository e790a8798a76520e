package dev.statusmessenger.session;

import dev.statusmessenger.wire.JsonPlatform;
import dev.statusmessenger.wire.ErrorCode;
import dev.statusmessenger.wire.StrictJson;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/** A parsed client message: a JSON object with a string {@code type}. */
record ClientMessage(String type, JsonObject body) {

  /** Parses a text frame, or says what was wrong with it. */
  static ClientMessage parse(String text) throws InvalidClientMessage {
    JsonValue value;
    try {
      value = StrictJson.parse(text);
    } catch (StrictJson.InvalidJson e) {
      boolean unreadable =
          e.fault() == StrictJson.Fault.MALFORMED || e.fault() == StrictJson.Fault.DUPLICATE_KEY;
      throw new InvalidClientMessage(
          unreadable ? ErrorCode.INVALID_JSON : ErrorCode.INVALID_MESSAGE,
          "The message is " + e.fault().description(),
          null);
    }
    if (!(value instanceof JsonObject object)) {
      throw new InvalidClientMessage(
          ErrorCode.INVALID_MESSAGE, "A message must be a JSON object with a \"type\"", null);
    }
    if (!(object.get("type") instanceof JsonString type)) {
      throw new InvalidClientMessage(
          ErrorCode.INVALID_MESSAGE, "A message needs a string \"type\"", null);
    }
    return new ClientMessage(type.getString(), object);
  }

  /** An optional string field; wrong types are an error. */
  String string(String field) throws InvalidClientMessage {
    JsonValue v = body.get(field);
    if (v == null || v == JsonValue.NULL) {
      return null;
    }
    if (v instanceof JsonString s) {
      return s.getString();
    }
    throw invalid("\"" + field + "\" must be a string");
  }

  /** An optional non-negative whole number that fits a {@code long}; wrong types are an error. */
  Long cursor(String field) throws InvalidClientMessage {
    JsonValue v = body.get(field);
    if (v == null || v == JsonValue.NULL) {
      return null;
    }
    if (v instanceof JsonNumber n && n.isIntegral()) {
      try {
        long value = n.bigIntegerValueExact().longValueExact();
        if (value >= 0) {
          return value;
        }
      } catch (ArithmeticException tooBig) {
        // falls through to the error below
      }
    }
    throw invalid("\"" + field + "\" must be a whole number from 0 up");
  }

  /** An optional boolean field, false where absent; wrong types are an error. */
  boolean flag(String field) throws InvalidClientMessage {
    JsonValue v = body.get(field);
    if (v == null || v == JsonValue.NULL || v == JsonValue.FALSE) {
      return false;
    }
    if (v == JsonValue.TRUE) {
      return true;
    }
    throw invalid("\"" + field + "\" must be true or false");
  }

  private InvalidClientMessage invalid(String message) {
    return new InvalidClientMessage(ErrorCode.INVALID_MESSAGE, message, type);
  }

  /** A client message that could not be taken, with the {@code error} frame's code and message. */
  static final class InvalidClientMessage extends Exception {
    private static final long serialVersionUID = 1L;
    final String code;
    final String messageType;

    InvalidClientMessage(String code, String message, String messageType) {
      super(message, null, false, false);
      this.code = code;
      this.messageType = messageType;
    }
  }
}
