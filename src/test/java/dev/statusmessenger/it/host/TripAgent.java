package dev.statusmessenger.it.host;

import dev.statusmessenger.StatusMessenger;
import dev.statusmessenger.stream.Message;
import dev.statusmessenger.stream.MessageStream;
import dev.statusmessenger.stream.StreamStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * The sample host application's agent bean: it reports to the current session through the
 * injected {@link StatusMessenger}, in a JTA transaction or outside one, and says whether its
 * message was already visible in the session's stream when the call returned.
 */
@ApplicationScoped
public class TripAgent {

  @Inject StatusMessenger messenger;
  @Inject StreamStore store;

  /** Reports outside any transaction: published at once. */
  public boolean planNow(String text) {
    messenger.status(text);
    return isCurrentStatus(text);
  }

  /** Reports inside a transaction that commits: published only after the commit. */
  @Transactional
  public boolean planAndCommit(String text) {
    messenger.status(text);
    messenger.event("trip_planned", java.util.Map.of("text", text));
    String session = messenger.currentSession().orElseThrow();
    boolean seqsKnown = !messenger.publish(java.util.List.of(
        new dev.statusmessenger.Publication.Event(session, "trip_published", java.util.Map.of("text", text)))).isEmpty();
    return isCurrentStatus(text) || seqsKnown;
  }

  /** Reports inside a transaction that then fails and rolls back. */
  @Transactional
  public void planAndFail(String text) {
    messenger.status(text);
    messenger.publish(java.util.List.of(
        new dev.statusmessenger.Publication.Status(messenger.currentSession().orElseThrow(), text + " (bulk)")));
    throw new IllegalStateException("booking failed");
  }

  private boolean isCurrentStatus(String text) {
    String session = messenger.currentSession().orElseThrow();
    return store.find(session)
        .flatMap(MessageStream::currentStatus)
        .map(Message::text)
        .filter(text::equals)
        .isPresent();
  }
}
