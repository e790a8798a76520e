package dev.statusmessenger.session;

import dev.statusmessenger.context.CurrentSession;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The socket of one browser session, {@code /ws/{session}}. A doorway: it makes the session current
 * for each callback and hands the callback to the {@link ConnectionManager}.
 */
@ServerEndpoint("/ws/{session}")
public class SessionEndpoint {

  private static final Logger LOG = Logger.getLogger(SessionEndpoint.class.getName());

  @Inject ConnectionManager manager;

  @OnOpen
  public void open(Session socket, @PathParam("session") String sessionId) {
    try (CurrentSession.Scope scope = CurrentSession.bind(sessionId)) {
      manager.opened(socket, sessionId, cursorParam(socket), batchParam(socket));
    }
  }

  @OnMessage
  public void message(Session socket, String text, @PathParam("session") String sessionId) {
    try (CurrentSession.Scope scope = CurrentSession.bind(sessionId)) {
      manager.received(socket, text);
    }
  }

  @OnMessage
  public void binary(Session socket, ByteBuffer data) {
    manager.receivedBinary(socket);
  }

  @OnMessage
  public void pong(Session socket, PongMessage pong) {
    manager.heard(socket);
  }

  @OnClose
  public void close(Session socket, CloseReason reason, @PathParam("session") String sessionId) {
    try (CurrentSession.Scope scope = CurrentSession.bind(sessionId)) {
      manager.closed(socket, reason);
    }
  }

  @OnError
  public void error(Session socket, Throwable error) {
    LOG.log(Level.FINE, "Socket error on a session connection", error);
  }

  /** The {@code since} query parameter, taken only where auth is off (see SPEC). */
  static Long cursorParam(Session socket) {
    List<String> since = socket.getRequestParameterMap().get("since");
    if (since == null || since.isEmpty()) {
      return null;
    }
    try {
      long cursor = Long.parseLong(since.get(0));
      return cursor >= 0 ? cursor : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The {@code batch} query parameter, taken only where auth is off. */
  static boolean batchParam(Session socket) {
    List<String> batch = socket.getRequestParameterMap().get("batch");
    return batch != null && !batch.isEmpty() && "true".equals(batch.get(0));
  }
}
