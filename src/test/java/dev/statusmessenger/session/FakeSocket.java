package dev.statusmessenger.session;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for a container's WebSocket session, for unit tests of {@link Connection} only: it
 * records what is sent and lets the test decide when each async send completes, which a real
 * socket cannot be made to do on cue. End-to-end behaviour is proven on Payara with real sockets.
 */
final class FakeSocket {

  /** Everything written, in order: text frames, and {@code (ping)} for each ping. */
  final List<String> wire = new ArrayList<>();
  final List<SendHandler> inFlight = new ArrayList<>();
  final Map<String, Object> userProperties = new HashMap<>();
  CloseReason closedWith;
  boolean completeInline;

  final Session session =
      (Session)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {Session.class},
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "getAsyncRemote" -> this.async;
                    case "getId" -> "fake-1";
                    case "isOpen" -> closedWith == null;
                    case "getUserProperties" -> userProperties;
                    case "close" -> {
                      closedWith = args == null ? new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "") : (CloseReason) args[0];
                      yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                  });

  private final RemoteEndpoint.Async async = newAsync();

  private RemoteEndpoint.Async newAsync() {
    return (RemoteEndpoint.Async)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {RemoteEndpoint.Async.class},
            (proxy, method, args) -> {
              if (method.getName().equals("sendPing")) {
                wire.add("(ping)");
              }
              if (method.getName().equals("sendText") && args.length == 2) {
                wire.add((String) args[0]);
                SendHandler handler = (SendHandler) args[1];
                if (completeInline) {
                  handler.onResult(new SendResult());
                } else {
                  inFlight.add(handler);
                }
              }
              return null;
            });
  }

  /** The text frames written, in order: the wire without its pings. */
  List<String> sent() {
    return wire.stream().filter(frame -> !frame.equals("(ping)")).toList();
  }

  /** Completes the oldest send in flight, as the container would once the bytes are written. */
  void completeOne() {
    inFlight.remove(0).onResult(new SendResult());
  }

  void completeAll() {
    while (!inFlight.isEmpty()) {
      completeOne();
    }
  }
}
