package dev.statusmessenger.dispatch;

import dev.statusmessenger.LogLevel;
import dev.statusmessenger.Publication;
import dev.statusmessenger.SessionChannel;
import dev.statusmessenger.StatusMessenger;
import dev.statusmessenger.auth.Credentials;
import dev.statusmessenger.context.CurrentSession;
import dev.statusmessenger.task.TaskRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@link StatusMessenger} agent components inject: the current session, or a named one. */
@ApplicationScoped
public class DefaultStatusMessenger implements StatusMessenger {

  @Inject Publisher publisher;
  @Inject Credentials credentials;
  @Inject TaskRegistry tasks;

  @Override
  public void status(String text) {
    publisher.status(CurrentSession.require(), text);
  }

  @Override
  public void event(String eventType, Map<String, ?> data) {
    publisher.event(CurrentSession.require(), eventType, data);
  }

  @Override
  public void log(String taskId, LogLevel level, String message, Map<String, ?> metadata) {
    publisher.log(taskId, level, message, metadata);
  }

  @Override
  public String createTask(String description) {
    return tasks.create(description, null, CurrentSession.get().orElse(null)).id();
  }

  @Override
  public String createSubtask(String parentTaskId, String description) {
    return tasks.create(description, parentTaskId, null).id();
  }

  @Override
  public List<Long> publish(List<? extends Publication> items) {
    return publisher.publish(items);
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
