package dev.statusmessenger.wire;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.util.Map;

/**
 * The platform's JSON-P provider, looked up once. Every static {@code jakarta.json.Json} method
 * looks the provider up again (a service-loader search on Payara), which showed in profiles of the
 * HTTP ingest path; code on hot paths uses this one instead.
 */
public final class JsonPlatform {

  /** The JSON-P provider of the application's class loader. */
  public static final JsonProvider JSON = JsonProvider.provider();

  private static final JsonReaderFactory READERS = JSON.createReaderFactory(Map.of());

  private JsonPlatform() {}

  /** Parses JSON text this application wrote itself (a frame, a grid record) back into an object. */
  public static JsonObject parseObject(String json) {
    try (JsonReader reader = READERS.createReader(new StringReader(json))) {
      return reader.readObject();
    }
  }
}
