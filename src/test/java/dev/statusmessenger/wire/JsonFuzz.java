package dev.statusmessenger.wire;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Makes hostile inputs from a seeded random source, so a failure is reproducible from its seed:
 * valid client messages and bodies mutated (bytes flipped, cut, repeated, spliced with JSON
 * punctuation), random structures, deep nesting, huge numbers, control characters, raw bytes.
 */
public final class JsonFuzz {

  private static final String[] SEEDS = {
    "{\"type\":\"auth\",\"token\":\"abc.123.sig\",\"since\":7,\"batch\":true}",
    "{\"type\":\"ping\"}",
    "{\"type\":\"subscribe\",\"task\":\"t-1\",\"since\":0}",
    "{\"type\":\"unsubscribe\",\"task\":\"t-1\"}",
    "{\"message\":\"Searching flights…\"}",
    "{\"event_type\":\"tool\",\"data\":{\"a\":[1,2.5,-3e4,null,true],\"b\":{\"c\":\"d\"}}}",
    "[{\"level\":\"info\",\"message\":\"x\",\"metadata\":{\"k\":1}},{\"level\":\"error\",\"message\":\"y\"}]",
    "{\"description\":\"d\",\"parent\":\"p\",\"session\":\"s\"}",
  };
  private static final String PUNCTUATION = "{}[]\",:\\ 0123456789.eE+-truefalsnl\u0000\u001f\u2028\ud800é<>";

  private final Random random;

  public JsonFuzz(long seed) {
    this.random = new Random(seed);
  }

  /** The next hostile text. */
  public String nextText() {
    return switch (random.nextInt(9)) {
      case 0 -> randomStructure(0);
      case 1 -> deep();
      case 2 -> "{\"type\":\"auth\",\"since\":" + hugeNumber() + ",\"token\":" + hugeNumber() + "}";
      case 3 -> randomChars(random.nextInt(200));
      case 4 -> "{\"type\":\"ping\",\"type\":\"auth\"}".repeat(1 + random.nextInt(2));
      default -> mutate(SEEDS[random.nextInt(SEEDS.length)]);
    };
  }

  /** The next hostile body: a text as UTF-8, or with bytes broken. */
  public byte[] nextBytes() {
    byte[] bytes = nextText().getBytes(StandardCharsets.UTF_8);
    if (random.nextInt(3) == 0 && bytes.length > 0) {
      int flips = 1 + random.nextInt(4);
      for (int i = 0; i < flips; i++) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
    }
    return bytes;
  }

  private String mutate(String seed) {
    StringBuilder s = new StringBuilder(seed);
    int edits = 1 + random.nextInt(6);
    for (int i = 0; i < edits && s.length() > 0; i++) {
      int at = random.nextInt(s.length());
      switch (random.nextInt(6)) {
        case 0 -> s.deleteCharAt(at);
        case 1 -> s.insert(at, PUNCTUATION.charAt(random.nextInt(PUNCTUATION.length())));
        case 2 -> s.setLength(at);
        case 3 -> s.insert(at, s.substring(at, Math.min(s.length(), at + random.nextInt(20))));
        case 4 -> s.setCharAt(at, (char) random.nextInt(0x3000));
        default -> s.insert(at, hugeNumber());
      }
    }
    return s.toString();
  }

  private String randomStructure(int depth) {
    int kind = depth > 6 ? 3 + random.nextInt(5) : random.nextInt(8);
    switch (kind) {
      case 0, 1 -> {
        StringBuilder o = new StringBuilder("{");
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
          o.append(i == 0 ? "" : ",").append('"').append(randomKey()).append("\":")
              .append(randomStructure(depth + 1));
        }
        return o.append('}').toString();
      }
      case 2 -> {
        StringBuilder a = new StringBuilder("[");
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
          a.append(i == 0 ? "" : ",").append(randomStructure(depth + 1));
        }
        return a.append(']').toString();
      }
      case 3 -> {
        return hugeNumber();
      }
      case 4 -> {
        return Integer.toString(random.nextInt());
      }
      case 5 -> {
        return "\"" + randomChars(random.nextInt(20)).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
      }
      case 6 -> {
        return random.nextBoolean() ? "true" : "null";
      }
      default -> {
        return "\"\\u00" + Integer.toHexString(16 + random.nextInt(16)) + "<img src=x onerror=alert(1)>\"";
      }
    }
  }

  private String randomKey() {
    String[] keys = {"type", "token", "since", "batch", "task", "message", "level", "metadata", "data", "event_type"};
    return keys[random.nextInt(keys.length)];
  }

  private String hugeNumber() {
    return switch (random.nextInt(6)) {
      case 0 -> "1e" + random.nextInt(Integer.MAX_VALUE);
      case 1 -> "-1e-" + random.nextInt(Integer.MAX_VALUE);
      case 2 -> "9".repeat(1 + random.nextInt(3000));
      case 3 -> "123456789012345678901234567890";
      case 4 -> "0." + "0".repeat(random.nextInt(500)) + "1";
      default -> Long.toString(random.nextLong());
    };
  }

  private String deep() {
    int depth = 1 + random.nextInt(20_000);
    String open = random.nextBoolean() ? "[" : "{\"a\":";
    String close = open.equals("[") ? "]" : "}";
    return "{\"type\":\"ping\",\"x\":" + open.repeat(depth) + "1" + close.repeat(random.nextInt(depth + 1)) + "}";
  }

  private String randomChars(int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(random.nextBoolean()
          ? PUNCTUATION.charAt(random.nextInt(PUNCTUATION.length()))
          : (char) random.nextInt(0x10000));
    }
    return s.toString();
  }
}
