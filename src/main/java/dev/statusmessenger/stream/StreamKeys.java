package dev.statusmessenger.stream;

/**
 * Names the streams: a session's stream is keyed by its id, a task's log by {@code task:} and its
 * id. Ids never contain a colon, so the two never meet.
 */
public final class StreamKeys {

  private static final String TASK_PREFIX = "task:";

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

  /** The session or task id of a stream key. */
  public static String idOf(String key) {
    return isTask(key) ? key.substring(TASK_PREFIX.length()) : key;
  }
}
