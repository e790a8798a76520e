package dev.statusmessenger.stream;

import dev.statusmessenger.cluster.ClusterGrid;
import dev.statusmessenger.cluster.GridStreams;
import dev.statusmessenger.config.MessengerConfig;
import jakarta.annotation.PostConstruct;
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
 * This store holds every stream by its key (see {@link StreamKeys}): each session's messages and
 * each task's log. A stream exists as soon as something is appended or replayed, and is freed once
 * idle for its history TTL. On one node the streams are in this node's memory; in a cluster they
 * are in Payara's data grid ({@link GridStreams}), and the grid topic, not {@code whenOrdered},
 * feeds every node's dispatcher.
 */
@ApplicationScoped
public class StreamStore {

  private final ConcurrentHashMap<String, MessageStream> streams = new ConcurrentHashMap<>();
  private MessengerConfig config;
  private Clock clock;
  private GridStreams grid; // null on a node that runs alone

  @Inject ClusterGrid cluster;

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

  @PostConstruct
  void connect() {
    grid = cluster == null ? null : cluster.streams();
  }

  /**
   * Appends a message to a stream, creating the stream where needed; see {@link
   * MessageStream#append}.
   */
  public Message append(String key, MessageDraft draft, Consumer<Message> whenOrdered) {
    if (grid != null) {
      return grid.append(key, List.of(draft)).get(0);
    }
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
    if (grid != null) {
      return grid.append(key, drafts);
    }
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
    if (grid != null) {
      return grid.replay(key, since);
    }
    while (true) {
      MessageStream stream = stream(key);
      Replay replay = stream.replay(since);
      if (replay != null) {
        return replay;
      }
      streams.remove(key, stream);
    }
  }

  /** The stream's current status, where it has one. */
  public Optional<Message> currentStatus(String key) {
    if (grid != null) {
      return grid.currentStatus(key);
    }
    return find(key).flatMap(MessageStream::currentStatus);
  }

  /** Whether the stream exists (has had a message or a connection, and has not expired). */
  public boolean exists(String key) {
    return grid != null ? grid.exists(key) : streams.containsKey(key);
  }

  /** The stream's position: the {@code seq} of its latest message, 0 where it has none. */
  public long seq(String key) {
    if (grid != null) {
      return grid.seq(key);
    }
    return find(key).map(MessageStream::seq).orElse(0L);
  }

  /** History after {@code since}; see {@link MessageStream#page(long, int, Predicate)}. */
  public Page page(String key, long since, int limit, Predicate<Message> filter) {
    if (grid != null) {
      return grid.page(key, since, limit, filter);
    }
    return stream(key).page(since, limit, filter);
  }

  /** The latest messages; see {@link MessageStream#tail}. */
  public Page tail(String key, int limit, Predicate<Message> filter) {
    if (grid != null) {
      return grid.tail(key, limit, filter);
    }
    return stream(key).tail(limit, filter);
  }

  /** The stream in this node's memory, created where it does not exist yet (one node only). */
  public MessageStream stream(String key) {
    return streams.computeIfAbsent(
        key,
        k ->
            StreamKeys.isTask(k)
                ? new MessageStream(k, config.taskHistorySize(), config.taskHistoryTtl(), clock)
                : new MessageStream(k, config.historySize(), config.historyTtl(), clock));
  }

  /** The stream in this node's memory, where it exists (one node only). */
  public Optional<MessageStream> find(String key) {
    return Optional.ofNullable(streams.get(key));
  }

  /**
   * Frees the streams that have been idle for the history TTL and are not in use.
   *
   * @return how many streams were freed (none in a cluster: the grid expires idle streams itself)
   */
  public int expireIdle(Predicate<String> inUse) {
    if (grid != null) {
      return 0;
    }
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
