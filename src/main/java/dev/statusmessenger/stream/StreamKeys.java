package dev.statusmessenger.stream;

/**
 * Names the streams: a session's stream is keyed by its id, a task's log by {@code task:} and its
 * id. Ids never contain a colon, so the two never meet. Operator sockets ({@code /ws/ops/live})
 * are kept under {@link #OPERATORS}, a key no message stream can have.
 */
public final class StreamKeys {

  private static final String TASK_PREFIX = "task:";

  /** The key operator sockets are held under; no message is ever posted to it. */
  public static final String OPERATORS = "ops:live";

  private StreamKeys() {}

  public static String session(String sessionId) {
    return sessionId;
  }

  public static String task(String taskId) {
    return TASK_PREFIX + taskId;
  }

  public static boolean isTask(String key) {
    return key.startsWith(TASK_PREFIX);
  }

  /** Whether the key is a session's stream (not a task's log, not the operators'). */
  public static boolean isSession(String key) {
    return !isTask(key) && !OPERATORS.equals(key);
  }

  /** The session or task id of a stream key. */
  public static String idOf(String key) {
    return isTask(key) ? key.substring(TASK_PREFIX.length()) : key;
  }
}
