package dev.statusmessenger.dispatch;

import dev.statusmessenger.LogLevel;
import dev.statusmessenger.Publication;
import dev.statusmessenger.SessionChannel;
import dev.statusmessenger.StatusMessenger;
import dev.statusmessenger.UnknownTaskException;
import dev.statusmessenger.auth.Credentials;
import dev.statusmessenger.context.CurrentSession;
import dev.statusmessenger.platform.Unproxied;
import dev.statusmessenger.stream.MessageDraft;
import dev.statusmessenger.task.TaskRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link StatusMessenger} agent components inject: the current session, or a named one. A
 * message is checked at once (limits, session, task); inside a JTA transaction it is then ordered
 * and delivered only after the commit (see {@link AfterCommit}).
 */
@ApplicationScoped
public class DefaultStatusMessenger implements StatusMessenger {

  @Inject Publisher publisher;
  @Inject Credentials credentials;
  @Inject TaskRegistry tasks;
  @Inject AfterCommit afterCommit;
  @Inject BeanManager beans;

  /** The publisher and the commit gate without their client proxies (see {@link Unproxied}). */
  private volatile NamedSession direct;

  @Override
  public void status(String text) {
    NamedSession d = direct();
    status(d.publisher(), d.afterCommit(), CurrentSession.require(), text);
  }

  @Override
  public void event(String eventType, Map<String, ?> data) {
    NamedSession d = direct();
    event(d.publisher(), d.afterCommit(), CurrentSession.require(), eventType, data);
  }

  @Override
  public void log(String taskId, LogLevel level, String message, Map<String, ?> metadata) {
    MessageDraft.Log line = publisher.logLine(taskId, level, message, publisher.toJsonObject(metadata));
    if (tasks.find(taskId).isEmpty()) {
      throw new UnknownTaskException(taskId);
    }
    afterCommit.publish(() -> publisher.logLines(taskId, List.of(line)));
  }

  private static void status(Publisher publisher, AfterCommit afterCommit, String session, String text) {
    MessageDraft draft = publisher.statusDraft(session, text);
    afterCommit.publish(() -> publisher.publish(session, draft));
  }

  private static void event(
      Publisher publisher, AfterCommit afterCommit, String session, String eventType, Map<String, ?> data) {
    MessageDraft draft = publisher.eventDraft(session, eventType, publisher.toJsonObject(data));
    afterCommit.publish(() -> publisher.publish(session, draft));
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
    MessageDraft[] drafts = publisher.prepare(items); // bad items are refused now, not at commit
    List<List<Long>> seqs = new ArrayList<>(1);
    boolean now = afterCommit.publish(() -> seqs.add(publisher.publishPrepared(items, drafts)));
    return now ? seqs.get(0) : List.of();
  }

  @Override
  public SessionChannel to(String sessionId) {
    NamedSession d = direct();
    return new NamedSession(d.publisher(), d.afterCommit(), sessionId);
  }

  /** The publisher and the commit gate, resolved once, with no session. */
  private NamedSession direct() {
    NamedSession d = direct;
    if (d == null) {
      d = new NamedSession(
          Unproxied.of(beans, publisher, Publisher.class), Unproxied.of(beans, afterCommit, AfterCommit.class), null);
      direct = d;
    }
    return d;
  }

  @Override
  public Optional<String> currentSession() {
    return CurrentSession.get();
  }

  @Override
  public String issueToken(String sessionId) {
    return credentials.tokens().issue(sessionId);
  }

  private record NamedSession(Publisher publisher, AfterCommit afterCommit, String sessionId)
      implements SessionChannel {
    @Override
    public void status(String text) {
      DefaultStatusMessenger.status(publisher, afterCommit, sessionId, text);
    }

    @Override
    public void event(String eventType, Map<String, ?> data) {
      DefaultStatusMessenger.event(publisher, afterCommit, sessionId, eventType, data);
    }
  }
}
