package dev.statusmessenger.wire;

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

  // Client to server
  public static final String AUTH = "auth";
  public static final String PING = "ping";
  public static final String SUBSCRIBE = "subscribe";
  public static final String UNSUBSCRIBE = "unsubscribe";

  private FrameType() {}
}
