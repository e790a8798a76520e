package dev.statusmessenger;

import java.util.Map;

/** Sends status lines and events to one browser session. */
public interface SessionChannel {

  /** Sets the session's current status; every connection of the session shows it. */
  void status(String text);

  /** Sends a structured event; {@code data} must serialise to a JSON object. */
  void event(String eventType, Map<String, ?> data);
}
