package dev.statusmessenger.wire;

/**
 * Measures how deeply a JSON text nests, without parsing it. Tree parsers recurse per level, so a
 * client that sends 100,000 opening brackets could exhaust a thread's stack; inputs deeper than
 * the protocol ever needs are refused before they reach one.
 */
public final class JsonDepth {

  /** Nesting the protocol and its payloads may use; deeper inputs are refused. */
  public static final int MAX = 64;

  private JsonDepth() {}

  /** Whether the text nests arrays and objects deeper than {@code max}. */
  public static boolean exceeds(CharSequence text, int max) {
    int depth = 0;
    boolean inString = false;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        if (++depth > max) {
          return true;
        }
      } else if (c == '}' || c == ']') {
        depth--;
      }
    }
    return false;
  }
}
