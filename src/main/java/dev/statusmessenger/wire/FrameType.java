package dev.statusmessenger.wire;

import java.util.List;

/** The {@code type} of every WebSocket frame of the protocol, in one place. */
public final class FrameType {

  // Server to client
  public static final String STATUS = "status";
  public static final String EVENT = "event";
  public static final String LOG = "log";
  public static final String READY = "ready";
  public static final String PONG = "pong";
  public static final String ERROR = "error";
  public static final String RESET = "reset";
  public static final String BATCH = "batch";
  /** An operator socket's snapshot of this node's traffic (see docs/protocol.md). */
  public static final String OPS = "ops";

  /**
   * The types a stream's messages have, in a fixed order: a message type's index in it is a compact
   * code (a byte in history, a slot in a per-type counter array).
   */
  public static final List<String> MESSAGE_TYPES = List.of(STATUS, EVENT, LOG);

  // Client to server
  public static final String AUTH = "auth";
  public static final String PING = "ping";
  public static final String SUBSCRIBE = "subscribe";
  public static final String UNSUBSCRIBE = "unsubscribe";

  private FrameType() {}

  /**
   * The index of a message type in {@link #MESSAGE_TYPES}.
   *
   * @throws IllegalArgumentException for any other type
   */
  public static int messageTypeIndex(String type) {
    int index = MESSAGE_TYPES.indexOf(type);
    if (index < 0) {
      throw new IllegalArgumentException("Not a message type: " + type);
    }
    return index;
  }
}
