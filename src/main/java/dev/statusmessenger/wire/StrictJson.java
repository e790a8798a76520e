package dev.statusmessenger.wire;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses what clients send, strictly: UTF-8 only (invalid bytes are an error, not replaced),
 * nesting at most {@link JsonDepth#MAX} levels, no duplicate keys (which parsers resolve
 * differently, so a message could mean one thing to a proxy and another here), and numbers within
 * what every client can read (at most {@link #MAX_DIGITS} digits, exponents within
 * ±{@link #MAX_EXPONENT}), so no number costs the server or a browser a huge expansion.
 */
public final class StrictJson {

  public static final int MAX_DIGITS = 100;
  public static final int MAX_EXPONENT = 400;

  private static final JsonProvider PROVIDER = JsonProvider.provider();
  private static final JsonParserFactory PARSERS = PROVIDER.createParserFactory(Map.of());

  private StrictJson() {}

  /** What was wrong with an input. */
  public enum Fault {
    INVALID_UTF8("not valid UTF-8"),
    MALFORMED("not valid JSON"),
    DUPLICATE_KEY("not valid JSON: a key appears twice in one object"),
    TOO_DEEP("nested deeper than " + JsonDepth.MAX + " levels"),
    NUMBER_OUT_OF_RANGE(
        "a number out of range (at most " + MAX_DIGITS + " digits, exponent within ±" + MAX_EXPONENT + ")");

    private final String description;

    Fault(String description) {
      this.description = description;
    }

    /** Says what was wrong, to finish a sentence such as "The body is …". */
    public String description() {
      return description;
    }
  }

  /** An input refused, with its fault. */
  public static final class InvalidJson extends Exception {
    private static final long serialVersionUID = 1L;
    private final Fault fault;

    InvalidJson(Fault fault) {
      super(fault.description(), null, false, false);
      this.fault = fault;
    }

    public Fault fault() {
      return fault;
    }
  }

  /** Decodes bytes as UTF-8, refusing malformed sequences. */
  public static String decodeUtf8(byte[] bytes) throws InvalidJson {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidJson(Fault.INVALID_UTF8);
    }
  }

  /** Parses one JSON value under the rules above. */
  public static JsonValue parse(String text) throws InvalidJson {
    if (JsonDepth.exceeds(text, JsonDepth.MAX)) {
      throw new InvalidJson(Fault.TOO_DEEP);
    }
    JsonValue value;
    try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
      if (!parser.hasNext()) {
        throw new InvalidJson(Fault.MALFORMED);
      }
      value = read(parser, parser.next(), 0);
      if (parser.hasNext()) {
        throw new InvalidJson(Fault.MALFORMED); // something after the value
      }
    } catch (UnsupportedOperationException tooLong) {
      throw new InvalidJson(Fault.NUMBER_OUT_OF_RANGE); // the parser's own cap on number length
    } catch (RuntimeException e) {
      String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
      throw new InvalidJson(message.contains("duplicate") ? Fault.DUPLICATE_KEY : Fault.MALFORMED);
    }
    return value;
  }

  /** Builds the value that starts with {@code event}, checking keys and numbers on the way. */
  private static JsonValue read(JsonParser parser, JsonParser.Event event, int depth)
      throws InvalidJson {
    if (depth > JsonDepth.MAX) {
      throw new InvalidJson(Fault.TOO_DEEP);
    }
    switch (event) {
      case START_OBJECT -> {
        JsonObjectBuilder object = PROVIDER.createObjectBuilder();
        Set<String> keys = new HashSet<>();
        for (JsonParser.Event e = parser.next(); e != JsonParser.Event.END_OBJECT; e = parser.next()) {
          String key = parser.getString();
          if (!keys.add(key)) {
            throw new InvalidJson(Fault.DUPLICATE_KEY);
          }
          object.add(key, read(parser, parser.next(), depth + 1));
        }
        return object.build();
      }
      case START_ARRAY -> {
        JsonArrayBuilder array = PROVIDER.createArrayBuilder();
        for (JsonParser.Event e = parser.next(); e != JsonParser.Event.END_ARRAY; e = parser.next()) {
          array.add(read(parser, e, depth + 1));
        }
        return array.build();
      }
      case VALUE_STRING -> {
        return PROVIDER.createValue(parser.getString());
      }
      case VALUE_NUMBER -> {
        BigDecimal d = parser.getBigDecimal();
        long exponent = (long) d.precision() - d.scale() - 1;
        if (d.precision() > MAX_DIGITS || Math.abs(exponent) > MAX_EXPONENT) {
          throw new InvalidJson(Fault.NUMBER_OUT_OF_RANGE);
        }
        return PROVIDER.createValue(d);
      }
      case VALUE_TRUE -> {
        return JsonValue.TRUE;
      }
      case VALUE_FALSE -> {
        return JsonValue.FALSE;
      }
      case VALUE_NULL -> {
        return JsonValue.NULL;
      }
      default -> throw new InvalidJson(Fault.MALFORMED);
    }
  }
}
