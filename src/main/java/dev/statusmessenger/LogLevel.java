package dev.statusmessenger;

import java.util.Locale;
import java.util.Optional;

/** The level of a task log line, lowest first; its wire name is the lower-case name. */
public enum LogLevel {
  DEBUG,
  INFO,
  WARNING,
  ERROR,
  CRITICAL;

  /** The name on the wire and in the HTTP API: {@code debug}, {@code info}, … */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this level is the given one or above it. */
  public boolean atLeast(LogLevel minimum) {
    return compareTo(minimum) >= 0;
  }

  /** The level of a wire name, where it is one. */
  public static Optional<LogLevel> fromWireName(String name) {
    for (LogLevel level : values()) {
      if (level.wireName().equals(name)) {
        return Optional.of(level);
      }
    }
    return Optional.empty();
  }
}
