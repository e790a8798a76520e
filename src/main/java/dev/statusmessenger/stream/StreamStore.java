package dev.statusmessenger.stream;

import dev.statusmessenger.config.MessengerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * This store holds every stream by its key (see {@link StreamKeys}), in this node's memory: each
 * session's messages and each task's log. A stream exists as soon as something is appended or
 * replayed, and is freed once idle for its history TTL.
 */
@ApplicationScoped
public class StreamStore {

  private final ConcurrentHashMap<String, MessageStream> streams = new ConcurrentHashMap<>();
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
   * Appends a message to a stream, creating the stream where needed; see {@link
   * MessageStream#append}.
   */
  public Message append(String key, MessageDraft draft, Consumer<Message> whenOrdered) {
    while (true) {
      MessageStream stream = stream(key);
      Message message = stream.append(draft, whenOrdered);
      if (message != null) {
        return message;
      }
      streams.remove(key, stream); // expired between lookup and append: take a fresh one
    }
  }

  /** Appends several messages to a stream as one contiguous run; see {@link MessageStream#appendAll}. */
  public List<Message> appendAll(
      String key, List<? extends MessageDraft> drafts, Consumer<Message> whenOrdered) {
    while (true) {
      MessageStream stream = stream(key);
      List<Message> messages = stream.appendAll(drafts, whenOrdered);
      if (messages != null) {
        return messages;
      }
      streams.remove(key, stream);
    }
  }

  /** What a connection to a stream receives first; see {@link MessageStream#replay}. */
  public Replay replay(String key, Long since) {
    while (true) {
      MessageStream stream = stream(key);
      Replay replay = stream.replay(since);
      if (replay != null) {
        return replay;
      }
      streams.remove(key, stream);
    }
  }

  /** The stream, created where it does not exist yet. */
  public MessageStream stream(String key) {
    return streams.computeIfAbsent(
        key,
        k ->
            StreamKeys.isTask(k)
                ? new MessageStream(k, config.taskHistorySize(), config.taskHistoryTtl(), clock)
                : new MessageStream(k, config.historySize(), config.historyTtl(), clock));
  }

  /** The stream, where it exists. */
  public Optional<MessageStream> find(String key) {
    return Optional.ofNullable(streams.get(key));
  }

  /**
   * Frees the streams that have been idle for the history TTL and are not in use.
   *
   * @return how many streams were freed
   */
  public int expireIdle(Predicate<String> inUse) {
    Instant now = clock.instant();
    Instant sessionCutoff = now.minus(config.historyTtl());
    Instant taskCutoff = now.minus(config.taskHistoryTtl());
    int freed = 0;
    for (MessageStream stream : streams.values()) {
      Instant cutoff = StreamKeys.isTask(stream.id()) ? taskCutoff : sessionCutoff;
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
