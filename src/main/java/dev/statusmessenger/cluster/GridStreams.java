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
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * These streams live in the data grid, so every node orders, stores and replays the same ones.
 * A stream's position and current status are one map entry; its history is a ring of {@code
 * capacity} slots in another map, each slot's entry expiring with the history TTL.
 *
 * <p>Appending claims the next {@code seq} with one compare-and-set of the stream's entry (a
 * single grid call, with its backup), expecting the value this node wrote last, then writes the
 * history slots and publishes on the grid topic together. Appends to one stream take turns on this
 * node, so a node publishes each stream in {@code seq} order; where two nodes append to one stream
 * at once their messages may reach the topic out of order, and {@link GridBus} puts them back in
 * order. Earlier versions held the stream's grid lock around five sequential calls instead.
 */
public final class GridStreams {

  /** Compare-and-set attempts before an append gives up (each failure means another node appended). */
  private static final int MAX_ATTEMPTS = 100;

  /** Streams whose last written entry this node remembers; past that, an append reads it first. */
  private static final int REMEMBERED = 4096;

  private static final int READ_CHUNK = 256;

  /** How long an append waits for its history slots and its publication. */
  private static final long WRITE_TIMEOUT_SECONDS = 30;

  /** A replay that finds its latest slots missing reads them again this often, this far apart. */
  private static final int SLOT_RETRIES = 5;

  private static final long SLOT_RETRY_MILLIS = 10;

  private final IMap<String, String> sessionStreams;
  private final IMap<String, String> taskStreams;
  private final IMap<String, String> history;
  private final ITopic<String> bus;
  private final MessengerConfig config;
  private final Clock clock = Clock.systemUTC();
  private final ReentrantLock[] turns = new ReentrantLock[256];
  /** The entry this node last wrote per stream: what the next compare-and-set expects. */
  private final Map<String, String> lastWritten =
      Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
              return size() > REMEMBERED;
            }
          });

  /**
   * @param sessionStreams the entries of sessions' streams, expiring when idle for the history TTL
   *     (the map's own setting: a compare-and-set keeps no expiry of an entry's own)
   * @param taskStreams the same for tasks' logs, with the task history TTL
   */
  GridStreams(
      IMap<String, String> sessionStreams, IMap<String, String> taskStreams, IMap<String, String> history,
      ITopic<String> bus, MessengerConfig config) {
    this.sessionStreams = sessionStreams;
    this.taskStreams = taskStreams;
    this.history = history;
    this.bus = bus;
    this.config = config;
    for (int i = 0; i < turns.length; i++) {
      turns[i] = new ReentrantLock();
    }
  }

  /** Orders drafts into one contiguous run of the stream, stores them and publishes them. */
  public List<Message> append(String key, List<? extends MessageDraft> drafts) {
    int capacity = capacity(key);
    long ttl = Math.max(1, ttl(key).toSeconds());
    IMap<String, String> streams = entries(key);
    ReentrantLock turn = turns[Math.floorMod(key.hashCode(), turns.length)];
    turn.lock();
    try {
      String expected = lastWritten.get(key);
      if (expected == null) {
        expected = streams.get(key);
      }
      for (int attempt = 1; ; attempt++) {
        State state = State.decode(expected);
        long seq = state.seq;
        String status = state.statusFrame;
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<Message> out = new ArrayList<>(drafts.size());
        for (MessageDraft draft : drafts) {
          Message message = draft.seal(key, ++seq, now);
          out.add(message);
          if (message.isStatus()) {
            status = message.frame();
          }
        }
        String next = new State(seq, status).encode();
        boolean claimed =
            expected == null
                ? streams.putIfAbsent(key, next) == null // expires as its map is configured
                : streams.replace(key, expected, next);
        if (claimed) {
          lastWritten.put(key, next);
          storeAndPublish(key, out, capacity, ttl);
          return out;
        }
        if (attempt == MAX_ATTEMPTS) {
          throw new IllegalStateException(
              "Another node appended to stream " + key + " at every one of " + MAX_ATTEMPTS + " attempts");
        }
        expected = streams.get(key); // another node appended (or the stream expired): start from there
      }
    } finally {
      turn.unlock();
    }
  }

  /**
   * Writes the history slots and publishes the messages at once, returning when both are done.
   * The publication is synchronous: in Hazelcast 5.3 a reliable topic's {@code publishAsync} under
   * the DISCARD_OLDEST policy returns a future that never completes.
   */
  private void storeAndPublish(String key, List<Message> messages, int capacity, long ttl) {
    List<CompletableFuture<Void>> writes = new ArrayList<>(messages.size());
    List<String> published = new ArrayList<>(messages.size());
    for (Message message : messages) {
      published.add(GridCodec.toBus(message));
      writes.add(
          history.setAsync(slot(key, message.seq(), capacity), GridCodec.toSlot(message), ttl, TimeUnit.SECONDS)
              .toCompletableFuture());
    }
    try {
      if (published.size() == 1) {
        bus.publish(published.get(0));
      } else {
        bus.publishAll(published);
      }
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      lastWritten.remove(key);
      throw new IllegalStateException("Interrupted while publishing to the cluster", e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      lastWritten.remove(key);
      throw new IllegalStateException("Storing or publishing in the cluster failed", e);
    }
  }

  /** What a connection receives first; the same rules as a stream in memory. */
  public Replay replay(String key, Long since) {
    State state = State.decode(entries(key).get(key));
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
    for (int retry = 0; retry < SLOT_RETRIES && !isWhole(missed, since, seq); retry++) {
      pause(); // the latest slots may still be in flight: a claimed seq is stored a moment later
      missed = read(key, since + 1, seq, Integer.MAX_VALUE, m -> true);
    }
    if (!isWhole(missed, since, seq)) { // expired, or a hole a failed node left: never a silent gap
      return new Replay(seq, true, latest);
    }
    return new Replay(seq, false, missed);
  }

  private static boolean isWhole(List<Message> missed, long since, long seq) {
    return missed.size() == seq - since;
  }

  private static void pause() {
    try {
      Thread.sleep(SLOT_RETRY_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The stream's current status, where it has one. */
  public Optional<Message> currentStatus(String key) {
    String frame = State.decode(entries(key).get(key)).statusFrame;
    return frame == null ? Optional.empty() : Optional.of(GridCodec.fromFrame(key, frame));
  }

  /** The stream's position, 0 where it has no messages (or has expired). */
  public long seq(String key) {
    return State.decode(entries(key).get(key)).seq;
  }

  public boolean exists(String key) {
    return entries(key).containsKey(key);
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
        Message message = GridCodec.messageInSlot(values.get(slot(key, s, capacity)), s);
        if (message != null && filter.test(message)) {
          out.add(message);
        }
      }
    }
    return out;
  }

  /**
   * Keeps the streams watched on this node from expiring, as a replay does in memory, and returns
   * their positions as read (streams that have expired are left out).
   */
  Map<String, Long> touch(Set<String> keys) {
    Set<String> sessions = new HashSet<>();
    Set<String> tasks = new HashSet<>();
    for (String key : keys) {
      (StreamKeys.isTask(key) ? tasks : sessions).add(key);
    }
    Map<String, Long> positions = new HashMap<>();
    readPositions(sessionStreams, sessions, positions);
    readPositions(taskStreams, tasks, positions);
    return positions;
  }

  private static void readPositions(IMap<String, String> entries, Set<String> keys, Map<String, Long> into) {
    if (!keys.isEmpty()) {
      entries.getAll(keys).forEach((key, entry) -> into.put(key, State.decode(entry).seq));
    }
  }

  private long oldestFrom(String key, long from, long seq, List<Message> read) {
    if (from > seq) {
      return seq + 1;
    }
    if (!read.isEmpty() && read.get(0).seq() == from) {
      return from;
    }
    return GridCodec.slotHolds(history.get(slot(key, from, capacity(key))), from) ? from : from + 1;
  }

  private IMap<String, String> entries(String key) {
    return StreamKeys.isTask(key) ? taskStreams : sessionStreams;
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
