package dev.statusmessenger.ops;

import dev.statusmessenger.session.ConnectionManager;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The operator socket, {@code /ws/ops/live}: opened with a producer key in its {@code auth}
 * message, it receives an {@code ops} snapshot of this node's traffic every second (the page at
 * {@code /ops/} draws them). Two path segments, so it never shadows a session named {@code ops}.
 * A doorway to the {@link ConnectionManager}, like the session and task sockets.
 */
@ServerEndpoint("/ws/ops/live")
public class OpsEndpoint {

  private static final Logger LOG = Logger.getLogger(OpsEndpoint.class.getName());

  @Inject ConnectionManager manager;

  @OnOpen
  public void open(Session socket) {
    manager.openedOperator(socket);
  }

  @OnMessage
  public void message(Session socket, String text) {
    manager.received(socket, text);
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
  public void close(Session socket, CloseReason reason) {
    manager.closed(socket, reason);
  }

  @OnError
  public void error(Session socket, Throwable error) {
    LOG.log(Level.FINE, "Socket error on an operator connection", error);
  }
}
