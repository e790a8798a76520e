package dev.statusmessenger.dispatch;

import dev.statusmessenger.SessionChannel;
import dev.statusmessenger.StatusMessenger;
import dev.statusmessenger.auth.Credentials;
import dev.statusmessenger.context.CurrentSession;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;

/** The {@link StatusMessenger} agent components inject: the current session, or a named one. */
@ApplicationScoped
public class DefaultStatusMessenger implements StatusMessenger {

  @Inject Publisher publisher;
  @Inject Credentials credentials;

  @Override
  public void status(String text) {
    publisher.status(CurrentSession.require(), text);
  }

  @Override
  public void event(String eventType, Map<String, ?> data) {
    publisher.event(CurrentSession.require(), eventType, data);
  }

  @Override
  public SessionChannel to(String sessionId) {
    return new NamedSession(publisher, sessionId);
  }

  @Override
  public Optional<String> currentSession() {
    return CurrentSession.get();
  }

  @Override
  public String issueToken(String sessionId) {
    return credentials.tokens().issue(sessionId);
  }

  private record NamedSession(Publisher publisher, String sessionId) implements SessionChannel {
    @Override
    public void status(String text) {
      publisher.status(sessionId, text);
    }

    @Override
    public void event(String eventType, Map<String, ?> data) {
      publisher.event(sessionId, eventType, data);
    }
  }
}
