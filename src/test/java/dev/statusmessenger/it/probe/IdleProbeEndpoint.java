package dev.statusmessenger.it.probe;

import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/**
 * A socket with a short container idle timeout, proving the container still closes silent sockets
 * on its own once its idle-timeout scheduling runs on the product's plain executor.
 */
@ServerEndpoint("/probe/idle")
public class IdleProbeEndpoint {

  /**
   * Idle time after which the container closes the socket: long enough that a first round trip on
   * a loaded machine does not already count as idle.
   */
  public static final long IDLE_MILLIS = 3000;

  @OnOpen
  public void open(Session socket) {
    socket.setMaxIdleTimeout(IDLE_MILLIS);
  }

  /** Echoes, so a test can keep the socket busy (each send restarts the idle timer). */
  @OnMessage
  public String echo(String text) {
    return text;
  }
}
