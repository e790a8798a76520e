package dev.statusmessenger.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the duration notation of the configuration: {@code 90}, {@code 500ms}, {@code 1h}, {@code PT1H}. */
public final class Durations {

  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

  private Durations() {}

  public static Duration parse(String text) {
    String value = text.trim();
    if (value.startsWith("P") || value.startsWith("p")) {
      try {
        return Duration.parse(value);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("Not a duration: " + text, e);
      }
    }
    Matcher m = SHORT.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "Not a duration: '" + text + "' (use 90, 500ms, 30s, 10m, 1h, 2d or PT1H)");
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }
}
