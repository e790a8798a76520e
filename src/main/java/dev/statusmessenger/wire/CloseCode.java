package dev.statusmessenger.wire;

import jakarta.websocket.CloseReason;

/** Every close code the server uses (RFC 6455), with what it tells a client to do. */
public enum CloseCode {
  /** Normal closure. */
  NORMAL(1000),
  /** Server shutting down or draining: reconnect elsewhere and resume. */
  GOING_AWAY(1001),
  /** Bad id, bad or missing token, refused origin, abuse: do not reconnect with the same credentials. */
  POLICY_VIOLATION(1008),
  /** An inbound message above the size limit. */
  MESSAGE_TOO_BIG(1009),
  /** Unexpected server error. */
  SERVER_ERROR(1011),
  /** Overload or slow consumer: reconnect and resume from the last seq. */
  TRY_AGAIN_LATER(1013);

  private final int code;

  CloseCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** A close reason with this code; the phrase is cut to fit the 123 bytes a close frame allows. */
  public CloseReason reason(String phrase) {
    String cut = phrase.length() > 120 ? phrase.substring(0, 120) : phrase;
    return new CloseReason(CloseReason.CloseCodes.getCloseCode(code), cut);
  }
}
