package dev.statusmessenger.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.statusmessenger.LogLevel;
import dev.statusmessenger.stream.MessageDraft;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Frames spliced from text encoded once must be the same JSON as JSON-P would write, for any text. */
class FramesTest {

  private static final Instant TS = Instant.parse("2026-12-02T10:15:30.123Z");
  private static final String HOSTILE =
      "quote \" backslash \\ slash / tab \t newline \n nul \u0000 bell \u0007 del \u007f"
          + " <img src=x onerror=alert(1)> </script> é 日本 \uD83D\uDE00 \u2028\u2029";

  @Test
  void anEventFrameCarriesTheDataEncodedOnceAndEscapesTheType() {
    JsonObject data =
        Json.createObjectBuilder().add("text", HOSTILE).add("n", 42).add("list", Json.createArrayBuilder().add(1.5).add(true)).build();
    String frame = new MessageDraft.Event(HOSTILE, data).frame("s1", 7, TS);
    JsonObject parsed = parse(frame);
    assertEquals(
        Json.createObjectBuilder().add("type", "event").add("event_type", HOSTILE).add("data", data)
            .add("seq", 7).add("ts", TS.toString()).build(),
        parsed);
  }

  @Test
  void aLogFrameNamesTheLogItLandsInAndTheTaskThatWroteIt() {
    JsonObject metadata = Json.createObjectBuilder().add("path", HOSTILE).add("deep", Json.createObjectBuilder().add("x", JsonValue.NULL)).build();
    MessageDraft.Log line = new MessageDraft.Log("child-1", LogLevel.CRITICAL, HOSTILE, metadata);
    JsonObject parsed = parse(line.frame("task:parent-1", 3, TS));
    assertEquals(
        Json.createObjectBuilder().add("type", "log").add("task", "parent-1").add("source_task", "child-1")
            .add("level", "critical").add("message", HOSTILE).add("metadata", metadata).add("seq", 3)
            .add("ts", TS.toString()).build(),
        parsed);
    assertEquals(JsonValue.EMPTY_JSON_OBJECT, parse(new MessageDraft.Log("t", LogLevel.INFO, "m", JsonValue.EMPTY_JSON_OBJECT).frame("task:t", 1, TS)).getJsonObject("metadata"));
  }

  @Test
  void randomTextSurvivesTheRoundTripInEveryField() {
    Random random = new Random(20261202L);
    for (int i = 0; i < 2_000; i++) {
      String text = randomText(random);
      JsonObject data = Json.createObjectBuilder().add(text, text).build();
      JsonObject event = parse(new MessageDraft.Event(text, data).frame("s", i, TS));
      assertEquals(text, event.getString("event_type"));
      assertEquals(data, event.getJsonObject("data"));
      JsonObject log = parse(new MessageDraft.Log("t", LogLevel.DEBUG, text, data).frame("task:t", i, TS));
      assertEquals(text, log.getString("message"));
      assertEquals(data, log.getJsonObject("metadata"));
    }
  }

  private static String randomText(Random random) {
    StringBuilder out = new StringBuilder();
    int length = random.nextInt(40);
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(4);
      if (kind == 0) {
        out.append((char) random.nextInt(0x20)); // control characters
      } else if (kind == 1) {
        out.append("\"\\/<>&'".charAt(random.nextInt(7)));
      } else if (kind == 2) {
        out.appendCodePoint(0x80 + random.nextInt(0x10FFFF - 0x80 - 0x800));
      } else {
        out.append((char) (' ' + random.nextInt(95)));
      }
    }
    return out.toString();
  }

  private static JsonObject parse(String frame) {
    try (var reader = Json.createReader(new StringReader(frame))) {
      return reader.readObject();
    }
  }
}
