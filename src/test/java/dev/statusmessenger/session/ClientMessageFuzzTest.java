package dev.statusmessenger.session;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.statusmessenger.wire.JsonFuzz;
import org.junit.jupiter.api.Test;

/**
 * Thousands of hostile client messages, from fixed seeds: the parser and its field readers either
 * give a message or say clearly what was wrong, and never throw anything else.
 */
class ClientMessageFuzzTest {

  private static final int RUNS = 20_000;

  @Test
  void everyInputIsAMessageOrAClearErrorNeverAnUnexpectedException() {
    for (long seed = 1; seed <= 4; seed++) {
      JsonFuzz fuzz = new JsonFuzz(seed);
      for (int i = 0; i < RUNS / 4; i++) {
        String input = fuzz.nextText();
        try {
          ClientMessage m = ClientMessage.parse(input);
          assertNotNull(m.type());
          readFields(m);
        } catch (ClientMessage.InvalidClientMessage expected) {
          assertNotNull(expected.code, input);
          assertNotNull(expected.getMessage(), input);
        } catch (RuntimeException | StackOverflowError e) {
          fail("seed " + seed + " input " + i + " threw " + e + " for: " + cut(input), e);
        }
      }
    }
  }

  private static void readFields(ClientMessage m) {
    for (String field : new String[] {"token", "task", "type"}) {
      try {
        m.string(field);
      } catch (ClientMessage.InvalidClientMessage expected) {
        assertNotNull(expected.getMessage());
      }
    }
    try {
      m.cursor("since");
    } catch (ClientMessage.InvalidClientMessage expected) {
      assertNotNull(expected.getMessage());
    }
    try {
      m.flag("batch");
    } catch (ClientMessage.InvalidClientMessage expected) {
      assertNotNull(expected.getMessage());
    }
  }

  private static String cut(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }
}
