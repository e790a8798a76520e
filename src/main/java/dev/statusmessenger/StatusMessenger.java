package dev.statusmessenger;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This messenger carries an agent's status lines and events to a browser session, live and in order.
 *
 * <p>Inject it anywhere in the application. {@link #status(String)} and {@link #event(String, Map)}
 * go to the <em>current session</em>: the session of the WebSocket callback or JAX-RS request the
 * code runs in, carried along into work handed to the container's {@code ManagedExecutorService}
 * and to {@code @Asynchronous} methods. {@link #to(String)} names a session explicitly.
 *
 * <p>Every method returns as soon as the message is accepted and ordered; none waits for a socket.
 * Inside a JTA transaction, messages (status, event, log) are checked at once but ordered and
 * delivered only when the transaction commits, and dropped if it rolls back.
 *
 * <pre>{@code
 * @Inject StatusMessenger messenger;
 *
 * messenger.status("Searching flights…");
 * messenger.event("tool_interaction", Map.of("tool", "calculator", "output", "4"));
 * messenger.to(sessionId).status("Done");
 * String token = messenger.issueToken(sessionId);
 * }</pre>
 */
public interface StatusMessenger extends SessionChannel {

  /**
   * Sets the current status of the current session.
   *
   * @throws NoCurrentSessionException where no session is current
   * @throws IllegalArgumentException where the text is null or longer than the configured limit
   */
  @Override
  void status(String text);

  /**
   * Sends a structured event to the current session.
   *
   * @param data a JSON-like map (strings, numbers, booleans, lists, maps, {@code jakarta.json}
   *     values) or any object JSON-B can bind
   * @throws NoCurrentSessionException where no session is current
   */
  @Override
  void event(String eventType, Map<String, ?> data);

  /**
   * Appends a line to a task's log (and to its ancestors' logs); every viewer of the task sees it.
   *
   * @param metadata a JSON-like map, or null
   * @throws UnknownTaskException where the task does not exist
   */
  void log(String taskId, LogLevel level, String message, Map<String, ?> metadata);

  /**
   * Creates a task whose log people can watch, belonging to the current session where there is
   * one (its token then reads the log).
   *
   * @return the new task's id
   */
  String createTask(String description);

  /**
   * Creates a subtask: its lines also appear in the parent's log.
   *
   * @throws UnknownTaskException where the parent does not exist
   */
  String createSubtask(String parentTaskId, String description);

  /**
   * Publishes statuses and events to many named sessions at once. Every item is checked before any
   * is accepted: either all are, in order, or none is.
   *
   * <p>Inside a JTA transaction, as with {@link #status}, the items are checked at once and
   * published after the commit (not at all on rollback); the seqs are not known yet, so the list
   * returned is empty.
   *
   * @return the {@code seq} each item got in its session's stream, in the items' order
   * @throws IllegalArgumentException naming the first bad item ({@code Item 3: …}), or where there
   *     are more items than the batch limit ({@code status-messenger.max-log-batch})
   */
  List<Long> publish(List<? extends Publication> items);

  /** A channel to one named session, whatever the current session is. */
  SessionChannel to(String sessionId);

  /** The id of the current session, where there is one. */
  Optional<String> currentSession();

  /**
   * Mints a token that lets a browser read the given session (its WebSocket and HTTP reads), for
   * host applications that use their own session ids.
   */
  String issueToken(String sessionId);
}
