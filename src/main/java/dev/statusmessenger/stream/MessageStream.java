package dev.statusmessenger.stream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * This stream holds the messages of one session or one task's log: it orders them ({@code seq}),
 * keeps the current status (of a session) and a history bounded in count and age, and answers
 * resumes.
 */
public final class MessageStream {

  private final String id;
  private final int capacity;
  private final Duration ttl;
  private final Clock clock;
  private final History history;
  private long seq;
  private Message currentStatus;
  /**
   * Epoch millis of the last append or replay. A number, not an {@code Instant}: a new object
   * stored into this long-lived stream at every append made G1 re-scan its card each time
   * (docs/performance.md, G1's card refinement).
   */
  private long lastActivityMillis;
  private boolean retired;

  MessageStream(String id, int capacity, Duration ttl, Clock clock) {
    this.id = id;
    this.capacity = capacity;
    this.ttl = ttl;
    this.clock = clock;
    this.lastActivityMillis = clock.millis();
    this.history = new History(id);
  }

  public String id() {
    return id;
  }

  /**
   * Orders a message, stores it and hands it to {@code whenOrdered} while still holding the
   * stream's order, so whatever consumes it sees this stream's messages in {@code seq} order.
   *
   * @return the message, or null where the stream was retired and the store must make a new one
   */
  synchronized Message append(MessageDraft draft, Consumer<Message> whenOrdered) {
    if (retired) {
      return null;
    }
    Instant now = clock.instant();
    Message message = draft.seal(id, seq + 1, now.truncatedTo(ChronoUnit.MILLIS));
    history.add(message); // first: where it fails (out of memory), no seq is spent and none skipped
    seq = message.seq();
    while (history.size() > capacity) {
      history.removeFirst();
    }
    if (message.isStatus()) {
      currentStatus = message;
    }
    lastActivityMillis = now.toEpochMilli();
    whenOrdered.accept(message);
    return message;
  }

  /**
   * Orders several messages as one contiguous run of {@code seq}, in the given order.
   *
   * @return the messages, or null where the stream was retired and the store must make a new one
   */
  synchronized List<Message> appendAll(List<? extends MessageDraft> drafts, Consumer<Message> whenOrdered) {
    if (retired) {
      return null;
    }
    List<Message> out = new ArrayList<>(drafts.size());
    for (MessageDraft draft : drafts) {
      out.add(append(draft, whenOrdered));
    }
    return out;
  }

  /** The stream's position: the {@code seq} of its latest message, 0 where it has none. */
  public synchronized long seq() {
    return seq;
  }

  public synchronized Optional<Message> currentStatus() {
    return Optional.ofNullable(currentStatus);
  }

  /**
   * What a new connection receives: without a cursor, the current status; with one, every message
   * after it still in history, or a reset where history does not reach back that far. A replay
   * counts as activity, so a watched stream is not expired under its connection.
   *
   * @return the replay, or null where the stream was retired and the store must make a new one
   */
  synchronized Replay replay(Long since) {
    if (retired) {
      return null;
    }
    Instant now = clock.instant();
    lastActivityMillis = now.toEpochMilli();
    pruneExpired(now);
    List<Message> latest = currentStatus == null ? List.of() : List.of(currentStatus);
    if (since == null) {
      return new Replay(seq, false, latest);
    }
    if (since == seq) {
      return new Replay(seq, false, List.of());
    }
    if (since > seq || since < 0 || oldestAvailable() > since + 1) {
      return new Replay(seq, true, latest);
    }
    return new Replay(seq, false, after(since));
  }

  /**
   * History after {@code since}, oldest first, at most {@code limit} messages, with the cursor to go
   * on from and whether history still reaches back to {@code since}.
   */
  public synchronized Page page(long since, int limit) {
    return page(since, limit, m -> true);
  }

  /**
   * Like {@link #page(long, int)}, keeping only messages that pass the filter; the cursor is the
   * last message given, or the stream's position where fewer than {@code limit} passed.
   */
  public synchronized Page page(long since, int limit, Predicate<Message> filter) {
    pruneExpired(clock.instant());
    List<Message> out = new ArrayList<>(Math.min(limit, history.size()));
    for (int i = firstAfter(since); i < history.size(); i++) {
      Message m = history.get(i);
      if (filter.test(m)) {
        out.add(m);
        if (out.size() == limit) {
          break;
        }
      }
    }
    boolean reset = since > seq || (since < seq && oldestAvailable() > since + 1);
    long next = out.size() < limit || out.isEmpty() ? seq : out.get(out.size() - 1).seq();
    return new Page(out, next, reset);
  }

  /** The latest {@code limit} messages that pass the filter, oldest first: the tail of the log. */
  public synchronized Page tail(int limit, Predicate<Message> filter) {
    pruneExpired(clock.instant());
    ArrayDeque<Message> out = new ArrayDeque<>(Math.min(limit, history.size()));
    for (int i = history.size() - 1; i >= 0 && out.size() < limit; i--) {
      Message m = history.get(i);
      if (filter.test(m)) {
        out.addFirst(m);
      }
    }
    return new Page(List.copyOf(out), seq, false);
  }

  /**
   * Retires the stream where it has been idle since {@code cutoff}, with no history left: it takes
   * no more messages, so none can be appended to a stream the store no longer holds.
   */
  synchronized boolean retireIfIdleSince(Instant cutoff) {
    pruneExpired(clock.instant());
    retired = history.isEmpty() && lastActivityMillis < cutoff.toEpochMilli();
    return retired;
  }

  private long oldestAvailable() {
    return history.isEmpty() ? seq + 1 : history.seq(0);
  }

  private List<Message> after(long since) {
    int from = firstAfter(since);
    List<Message> out = new ArrayList<>(history.size() - from);
    for (int i = from; i < history.size(); i++) {
      out.add(history.get(i));
    }
    return out;
  }

  /** The index of the oldest kept message after {@code since}: kept messages are in seq order. */
  private int firstAfter(long since) {
    int low = 0;
    int high = history.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (history.seq(mid) > since) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }

  private void pruneExpired(Instant now) {
    long cutoff = now.minus(ttl).toEpochMilli();
    while (!history.isEmpty() && history.tsMillis(0) < cutoff) {
      history.removeFirst();
    }
  }
}
