package dev.statusmessenger;

/** Thrown where a task is named that does not exist (never created, or expired). */
public class UnknownTaskException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public UnknownTaskException(String taskId) {
    super("No such task: " + taskId + " (tasks exist once created, and expire when idle)");
  }
}
