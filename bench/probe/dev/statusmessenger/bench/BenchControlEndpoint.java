package dev.statusmessenger.bench;

import dev.statusmessenger.StatusMessenger;
import jakarta.inject.Inject;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The benchmark's control socket in the bench build of the WAR (never in the product): mints
 * tokens for the bench sessions {@code b0…}, runs the in-process producer through the public Java
 * API, and reports heap use. Commands: {@code tokens N}, {@code produce RATE SECONDS SESSIONS},
 * {@code mem}.
 */
@ServerEndpoint("/bench/control")
public class BenchControlEndpoint {

  @Inject StatusMessenger messenger;

  @OnMessage
  public void command(Session control, String text) throws IOException, NamingException {
    String[] args = text.trim().split(" ");
    switch (args[0]) {
      case "tokens" -> {
        int n = Integer.parseInt(args[1]);
        StringBuilder out = new StringBuilder(n * 80).append("tokens");
        for (int i = 0; i < n; i++) {
          out.append(' ').append(messenger.issueToken("b" + i));
        }
        control.getBasicRemote().sendText(out.toString());
      }
      case "produce" -> {
        int rate = Integer.parseInt(args[1]);
        double seconds = Double.parseDouble(args[2]);
        int sessions = Integer.parseInt(args[3]);
        String[] ids = new String[sessions];
        for (int i = 0; i < sessions; i++) {
          ids[i] = "b" + i;
        }
        ThreadFactory threads =
            (ThreadFactory) new InitialContext().lookup("java:comp/DefaultManagedThreadFactory");
        threads
            .newThread(
                () -> {
                  long[] r =
                      Pacer.run(
                          rate,
                          seconds,
                          sessions,
                          (s, t, i) ->
                              messenger.to(ids[s]).event("bench", Map.of("t", t, "pad", Pacer.PAD)));
                  reply(control, "produced " + r[0] + " " + r[1] + " " + r[2]);
                })
            .start();
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

  private static void reply(Session control, String text) {
    try {
      control.getBasicRemote().sendText(text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
