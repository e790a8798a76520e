package dev.statusmessenger.cluster;

import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;
import dev.statusmessenger.config.MessengerConfig;
import dev.statusmessenger.stream.Message;
import dev.statusmessenger.stream.MessageDraft;
import dev.statusmessenger.stream.Page;
import dev.statusmessenger.stream.Replay;
import dev.statusmessenger.stream.StreamKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * These streams live in the data grid, so every node orders, stores and replays the same ones.
 * A stream's position and current status are one map entry; its history is a ring of {@code
 * capacity} slots in another map, each slot's entry expiring with the history TTL. Appending takes
 * the stream's entry lock, so one {@code seq} counts across the cluster, and publishes on the grid
 * topic before letting go, so the topic carries each stream in {@code seq} order.
 */
public final class GridStreams {

  /** A node that dies holding a stream's lock frees it at once; this bounds a stuck holder. */
  private static final long LOCK_LEASE_SECONDS = 30;

  private static final int READ_CHUNK = 256;

  private final IMap<String, String> streams;
  private final IMap<String, String> history;
  private final ITopic<String> bus;
  private final MessengerConfig config;
  private final Clock clock = Clock.systemUTC();

  GridStreams(
      IMap<String, String> streams, IMap<String, String> history, ITopic<String> bus,
      MessengerConfig config) {
    this.streams = streams;
    this.history = history;
    this.bus = bus;
    this.config = config;
  }

  /** Orders drafts into one contiguous run of the stream, stores them and publishes them. */
  public List<Message> append(String key, List<? extends MessageDraft> drafts) {
    int capacity = capacity(key);
    long ttl = Math.max(1, ttl(key).toSeconds());
    streams.lock(key, LOCK_LEASE_SECONDS, TimeUnit.SECONDS);
    try {
      State state = State.decode(streams.get(key));
      long seq = state.seq;
      String status = state.statusFrame;
      Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      List<Message> out = new ArrayList<>(drafts.size());
      List<String> published = new ArrayList<>(drafts.size());
      List<CompletableFuture<Void>> writes = new ArrayList<>(drafts.size() + 1);
      for (MessageDraft draft : drafts) {
        Message message = draft.seal(key, ++seq, now);
        out.add(message);
        published.add(GridCodec.toBus(message));
        writes.add(
            history.setAsync(slot(key, seq, capacity), GridCodec.toSlot(message), ttl, TimeUnit.SECONDS)
                .toCompletableFuture());
        if (message.isStatus()) {
          status = message.frame();
        }
      }
      writes.add(
          streams.setAsync(key, new State(seq, status).encode(), 0, TimeUnit.SECONDS, ttl, TimeUnit.SECONDS)
              .toCompletableFuture());
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
      if (published.size() == 1) {
        bus.publish(published.get(0));
      } else {
        bus.publishAll(published);
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while publishing to the cluster", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Publishing to the cluster failed", e.getCause());
    } finally {
      streams.unlock(key);
    }
  }

  /** What a connection receives first; the same rules as a stream in memory. */
  public Replay replay(String key, Long since) {
    State state = State.decode(streams.get(key));
    long seq = state.seq;
    List<Message> latest =
        state.statusFrame == null ? List.of() : List.of(GridCodec.fromFrame(key, state.statusFrame));
    if (since == null) {
      return new Replay(seq, false, latest);
    }
    if (since == seq) {
      return new Replay(seq, false, List.of());
    }
    if (since > seq || since < 0 || since < seq - capacity(key)) {
      return new Replay(seq, true, latest);
    }
    List<Message> missed = read(key, since + 1, seq, Integer.MAX_VALUE, m -> true);
    if (missed.isEmpty() || missed.get(0).seq() != since + 1) {
      return new Replay(seq, true, latest);
    }
    return new Replay(seq, false, missed);
  }

  /** The stream's current status, where it has one. */
  public Optional<Message> currentStatus(String key) {
    String frame = State.decode(streams.get(key)).statusFrame;
    return frame == null ? Optional.empty() : Optional.of(GridCodec.fromFrame(key, frame));
  }

  /** The stream's position, 0 where it has no messages (or has expired). */
  public long seq(String key) {
    return State.decode(streams.get(key)).seq;
  }

  public boolean exists(String key) {
    return streams.containsKey(key);
  }

  /** History after {@code since}; see {@code MessageStream#page}. */
  public Page page(String key, long since, int limit, Predicate<Message> filter) {
    long seq = seq(key);
    long from = Math.max(since + 1, Math.max(1, seq - capacity(key) + 1));
    List<Message> out = since >= seq ? List.of() : read(key, from, seq, limit, filter);
    long oldest = oldestFrom(key, from, seq, out);
    boolean reset = since > seq || (since < seq && oldest > since + 1);
    long next = out.size() < limit || out.isEmpty() ? seq : out.get(out.size() - 1).seq();
    return new Page(out, next, reset);
  }

  /** The latest {@code limit} messages that pass the filter, oldest first. */
  public Page tail(String key, int limit, Predicate<Message> filter) {
    long seq = seq(key);
    long floor = Math.max(1, seq - capacity(key) + 1);
    ArrayDeque<Message> out = new ArrayDeque<>();
    for (long to = seq; to >= floor && out.size() < limit; to -= READ_CHUNK) {
      long from = Math.max(floor, to - READ_CHUNK + 1);
      List<Message> chunk = read(key, from, to, Integer.MAX_VALUE, filter);
      if (chunk.isEmpty() && !out.isEmpty()) {
        break; // older slots have expired too
      }
      for (int i = chunk.size() - 1; i >= 0 && out.size() < limit; i--) {
        out.addFirst(chunk.get(i));
      }
    }
    return new Page(List.copyOf(out), seq, false);
  }

  /** Reads the messages of slots {@code from..to} still held, in order, keeping those that pass. */
  List<Message> read(String key, long from, long to, int limit, Predicate<Message> filter) {
    int capacity = capacity(key);
    List<Message> out = new ArrayList<>();
    for (long start = from; start <= to && out.size() < limit; start += READ_CHUNK) {
      long end = Math.min(to, start + READ_CHUNK - 1);
      Set<String> slots = new HashSet<>();
      for (long s = start; s <= end; s++) {
        slots.add(slot(key, s, capacity));
      }
      Map<String, String> values = history.getAll(slots);
      for (long s = start; s <= end && out.size() < limit; s++) {
        String frame = GridCodec.frameInSlot(values.get(slot(key, s, capacity)), s);
        if (frame != null) {
          Message message = GridCodec.fromFrame(key, frame);
          if (filter.test(message)) {
            out.add(message);
          }
        }
      }
    }
    return out;
  }

  /** Keeps the streams watched on this node from expiring, as a replay does in memory. */
  void touch(Set<String> keys) {
    if (!keys.isEmpty()) {
      streams.getAll(keys);
    }
  }

  private long oldestFrom(String key, long from, long seq, List<Message> read) {
    if (from > seq) {
      return seq + 1;
    }
    if (!read.isEmpty() && read.get(0).seq() == from) {
      return from;
    }
    return GridCodec.frameInSlot(history.get(slot(key, from, capacity(key))), from) != null ? from : from + 1;
  }

  private int capacity(String key) {
    return StreamKeys.isTask(key) ? config.taskHistorySize() : config.historySize();
  }

  private Duration ttl(String key) {
    return StreamKeys.isTask(key) ? config.taskHistoryTtl() : config.historyTtl();
  }

  private static String slot(String key, long seq, int capacity) {
    return key + '#' + Math.floorMod(seq, capacity);
  }

  /** A stream's entry: its position and the frame of its current status (or none). */
  private record State(long seq, String statusFrame) {
    static State decode(String value) {
      if (value == null) {
        return new State(0, null);
      }
      int split = value.indexOf('\n');
      String frame = value.substring(split + 1);
      return new State(Long.parseLong(value, 0, split, 10), frame.isEmpty() ? null : frame);
    }

    String encode() {
      return Long.toString(seq) + '\n' + (statusFrame == null ? "" : statusFrame);
    }
  }
}
