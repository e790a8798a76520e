package dev.statusmessenger;

import java.util.Map;

/**
 * One item of a bulk publish ({@link StatusMessenger#publish(java.util.List)}): a status or an
 * event for a named session, so a server that fans out to many sessions does it in one call.
 */
public sealed interface Publication {

  /** The session the item goes to. */
  String session();

  /** A new current status for a session. */
  static Publication status(String session, String text) {
    return new Status(session, text);
  }

  /**
   * An event for a session.
   *
   * @param data a JSON-like map, a {@code jakarta.json.JsonObject}, or null for {@code {}}
   */
  static Publication event(String session, String eventType, Map<String, ?> data) {
    return new Event(session, eventType, data);
  }

  /** A status item. */
  record Status(String session, String text) implements Publication {}

  /** An event item. */
  record Event(String session, String eventType, Map<String, ?> data) implements Publication {}
}
