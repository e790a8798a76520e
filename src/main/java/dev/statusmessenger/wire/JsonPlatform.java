package dev.statusmessenger.wire;

import jakarta.json.spi.JsonProvider;

/**
 * The platform's JSON-P provider, looked up once. Every static {@code jakarta.json.Json} method
 * looks the provider up again (a service-loader search on Payara), which showed in profiles of the
 * HTTP ingest path; code on hot paths uses this one instead.
 */
public final class JsonPlatform {

  /** The JSON-P provider of the application's class loader. */
  public static final JsonProvider JSON = JsonProvider.provider();

  private JsonPlatform() {}
}
