package dev.statusmessenger.stream;

import dev.statusmessenger.wire.JsonPlatform;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import java.io.StringReader;
import java.util.Map;

/** Parses the JSON text a message keeps back into an object, where one is asked for. */
final class JsonText {

  private static final JsonReaderFactory READERS = JsonPlatform.JSON.createReaderFactory(Map.of());

  private JsonText() {}

  static JsonObject parseObject(String json) {
    try (JsonReader reader = READERS.createReader(new StringReader(json))) {
      return reader.readObject();
    }
  }
}
