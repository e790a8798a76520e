package dev.statusmessenger.wire;

/** The {@code code} of {@code error} frames: what was wrong with a client's message. */
public final class ErrorCode {

  public static final String INVALID_JSON = "invalid_json";
  public static final String INVALID_MESSAGE = "invalid_message";
  public static final String UNKNOWN_TYPE = "unknown_type";
  public static final String ALREADY_AUTHENTICATED = "already_authenticated";
  public static final String UNKNOWN_TASK = "unknown_task";
  public static final String FORBIDDEN = "forbidden";
  public static final String NOT_SUBSCRIBED = "not_subscribed";
  public static final String TOO_MANY_SUBSCRIPTIONS = "too_many_subscriptions";
  /** The socket sent more messages than its per-second budget; they were not handled. */
  public static final String RATE_LIMITED = "rate_limited";

  private ErrorCode() {}
}
