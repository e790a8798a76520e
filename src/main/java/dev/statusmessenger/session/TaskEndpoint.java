package dev.statusmessenger.session;

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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A live view of one task's log (and its subtasks'), {@code /ws/tasks/{task}}, for pages and for
 * tools such as the command-line viewer. A doorway to the {@link ConnectionManager}.
 */
@ServerEndpoint("/ws/tasks/{task}")
public class TaskEndpoint {

  private static final Logger LOG = Logger.getLogger(TaskEndpoint.class.getName());

  @Inject ConnectionManager manager;

  @OnOpen
  public void open(Session socket, @PathParam("task") String taskId) {
    manager.openedTask(
        socket, taskId, SessionEndpoint.cursorParam(socket), SessionEndpoint.batchParam(socket));
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
    LOG.log(Level.FINE, "Socket error on a task connection", error);
  }
}
