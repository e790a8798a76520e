package dev.statusmessenger;

/**
 * Thrown where a message is sent to the current session but no session is current: the code does
 * not run in a WebSocket callback or JAX-RS request for a session, nor in work handed on from one.
 * A message is never dropped in silence.
 */
public class NoCurrentSessionException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  public NoCurrentSessionException() {
    super(
        "No current status-messenger session: call messenger.to(sessionId), or send from code that"
            + " runs for a session (a /ws/{session} callback, a JAX-RS request for a session, or"
            + " work submitted from one to the ManagedExecutorService or an @Asynchronous method)");
  }
}
