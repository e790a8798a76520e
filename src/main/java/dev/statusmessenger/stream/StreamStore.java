package dev.statusmessenger.stream;

import dev.statusmessenger.config.MessengerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * This store holds every session's stream by session id, in this node's memory. A session's
 * stream exists as soon as something names it, and is freed once idle for the history TTL.
 */
@ApplicationScoped
public class StreamStore {

  private final ConcurrentHashMap<String, SessionStream> streams = new ConcurrentHashMap<>();
  private MessengerConfig config;
  private Clock clock;

  protected StreamStore() {
    // for CDI proxies
  }

  @Inject
  public StreamStore(MessengerConfig config) {
    this(config, Clock.systemUTC());
  }

  /** A store on a given clock, for tests that move time. */
  public StreamStore(MessengerConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /**
   * Appends a message to the session's stream, creating the stream where needed; see {@link
   * SessionStream#append}.
   */
  public Message append(String sessionId, MessageDraft draft, Consumer<Message> whenOrdered) {
    while (true) {
      SessionStream stream = stream(sessionId);
      Message message = stream.append(draft, whenOrdered);
      if (message != null) {
        return message;
      }
      streams.remove(sessionId, stream); // expired between lookup and append: take a fresh one
    }
  }

  /** What a connection of the session receives first; see {@link SessionStream#replay}. */
  public Replay replay(String sessionId, Long since) {
    while (true) {
      SessionStream stream = stream(sessionId);
      Replay replay = stream.replay(since);
      if (replay != null) {
        return replay;
      }
      streams.remove(sessionId, stream);
    }
  }

  /** The session's stream, created where it does not exist yet. */
  public SessionStream stream(String sessionId) {
    return streams.computeIfAbsent(
        sessionId, id -> new SessionStream(id, config.historySize(), config.historyTtl(), clock));
  }

  /** The session's stream, where it exists. */
  public Optional<SessionStream> find(String sessionId) {
    return Optional.ofNullable(streams.get(sessionId));
  }

  /**
   * Frees the streams that have been idle for the history TTL and are not in use.
   *
   * @return how many streams were freed
   */
  public int expireIdle(Predicate<String> inUse) {
    Instant cutoff = clock.instant().minus(config.historyTtl());
    int freed = 0;
    for (SessionStream stream : streams.values()) {
      if (!inUse.test(stream.id()) && stream.retireIfIdleSince(cutoff)) {
        streams.remove(stream.id(), stream);
        freed++;
      }
    }
    return freed;
  }

  public int size() {
    return streams.size();
  }
}
