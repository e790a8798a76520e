package dev.statusmessenger.bench;

import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.glassfish.tyrus.server.Server;

/**
 * The standalone Tyrus peer: a plain JSR-356 endpoint of the same shape as the product's
 * ({@code /ws/{session}}, an {@code auth} message answered by {@code ready}, one ~200-byte JSON text
 * frame per message through the async remote) on Tyrus's Grizzly container, with the same control
 * socket and in-process producer as the product's bench build.
 */
public final class TyrusPeer {

  static final Map<String, Session> SOCKETS = new ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Server server =
        new Server("127.0.0.1", port, "/", Map.of(), SessionSocket.class, Control.class);
    server.start();
    System.out.println("tyrus peer listening on " + port);
    Thread.currentThread().join();
  }

  /** {@code /ws/{session}}: registers the socket on auth. */
  @ServerEndpoint("/ws/{session}")
  public static class SessionSocket {
    @OnMessage
    public void message(Session socket, String text, @PathParam("session") String session)
        throws IOException {
      if (text.contains("\"auth\"")) {
        SOCKETS.put(session, socket);
        socket.getAsyncRemote().sendText("{\"type\":\"ready\",\"session\":\"" + session + "\",\"seq\":0}");
      }
    }

    @OnClose
    public void close(Session socket, @PathParam("session") String session) {
      SOCKETS.remove(session, socket);
    }
  }

  /** {@code /bench/control}: the same commands as the product's bench probe. */
  @ServerEndpoint("/bench/control")
  public static class Control {
    @OnMessage
    public void command(Session control, String text) throws IOException {
      String[] args = text.trim().split(" ");
      switch (args[0]) {
        case "tokens" -> control.getBasicRemote().sendText("tokens" + " x".repeat(Integer.parseInt(args[1])));
        case "produce" -> {
          int rate = Integer.parseInt(args[1]);
          double seconds = Double.parseDouble(args[2]);
          int sessions = Integer.parseInt(args[3]);
          Session[] targets = new Session[sessions];
          for (int i = 0; i < sessions; i++) {
            targets[i] = SOCKETS.get("b" + i);
          }
          new Thread(() -> {
                long[] r = Pacer.run(rate, seconds, sessions, (s, t, i) -> {
                  Session target = targets[s];
                  if (target != null) {
                    target.getAsyncRemote().sendText(Pacer.frame(t, i));
                  }
                });
                try {
                  control.getBasicRemote().sendText("produced " + r[0] + " " + r[1] + " " + r[2]);
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              }, "producer").start();
        }
        case "mem" -> {
          Runtime rt = Runtime.getRuntime();
          for (int i = 0; i < 3; i++) {
            System.gc();
          }
          control.getBasicRemote().sendText("mem " + (rt.totalMemory() - rt.freeMemory()));
        }
        default -> control.getBasicRemote().sendText("error unknown command");
      }
    }
  }
}
