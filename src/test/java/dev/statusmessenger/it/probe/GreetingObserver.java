package dev.statusmessenger.it.probe;

import dev.statusmessenger.StatusMessenger;
import dev.statusmessenger.session.ConnectionEvent;
import dev.statusmessenger.session.Connected;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Observes sockets connecting, as a host application might, and greets sessions whose id starts
 * with "greet" through the current session: the WebSocket callback's own.
 */
@ApplicationScoped
public class GreetingObserver {

  @Inject StatusMessenger messenger;

  void greet(@Observes @Connected ConnectionEvent connected) {
    if (connected.sessionId().startsWith("greet")) {
      messenger.status("welcome, " + messenger.currentSession().orElse("nobody"));
    }
  }
}
