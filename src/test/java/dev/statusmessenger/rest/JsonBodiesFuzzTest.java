package dev.statusmessenger.rest;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.statusmessenger.wire.JsonFuzz;
import jakarta.json.JsonStructure;
import org.junit.jupiter.api.Test;

/**
 * Thousands of hostile request bodies, from fixed seeds: each is read as JSON or refused as a
 * 400 or 413 with a detail, never another exception (which would be a 500).
 */
class JsonBodiesFuzzTest {

  private static final int RUNS = 20_000;
  private static final int MAX_BYTES = 64 * 1024;

  @Test
  void everyBodyIsJsonOrA400Or413NeverAnUnexpectedException() {
    for (long seed = 11; seed <= 14; seed++) {
      JsonFuzz fuzz = new JsonFuzz(seed);
      for (int i = 0; i < RUNS / 4; i++) {
        byte[] body = fuzz.nextBytes();
        try {
          JsonStructure json = JsonBodies.parse(body, MAX_BYTES);
          assertNotNull(json);
        } catch (JsonBodies.BadBody refused) {
          assertTrue(refused.status == 400 || refused.status == 413, "status " + refused.status);
          assertNotNull(refused.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
          fail("seed " + seed + " body " + i + " threw " + e, e);
        }
      }
    }
  }
}
