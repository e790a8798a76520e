package dev.statusmessenger.cluster;

import com.hazelcast.topic.ReliableMessageListener;
import dev.statusmessenger.dispatch.Dispatcher;
import dev.statusmessenger.stream.Message;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This listener feeds the node's dispatcher from the grid topic, which carries every node's
 * messages (a reliable topic: one ring buffer, with a backup). It passes each stream's messages on
 * in {@code seq} order with no gap and no repeat. Each node publishes a stream in order, but where
 * two nodes append to one stream at once their messages can reach the topic the other way round:
 * a message that arrives after a gap is held while the missing ones come, and where they have not
 * come after a short grace (their node died between claiming and publishing, or is slow) they are
 * read from the grid's history. A gap history cannot fill either closes the stream's sockets with
 * 1013, so their clients resume and are told {@code reset} rather than miss a message silently.
 *
 * <p>A publication its node never sent (it died after claiming the message's {@code seq}, or its
 * publish failed) leaves a gap that the next message of the stream shows. For the last message of
 * a stream no later one comes, so {@link #catchUp} compares the streams passed on here with their
 * positions in the grid, read periodically and when a member leaves, and fills what is missing the
 * same way.
 */
final class GridBus implements ReliableMessageListener<String> {

  /** How long a message waits for the ones before it before history is asked. */
  static final Duration GAP_GRACE = Duration.ofMillis(200);

  /** How long a gap may stay open before it is given up as a hole. */
  static final Duration GAP_LIMIT = Duration.ofSeconds(5);

  /** Held messages per stream beyond which history is asked at once. */
  private static final int HOLD_LIMIT = 1_000;

  private static final Logger LOG = Logger.getLogger(GridBus.class.getName());

  private final Dispatcher dispatcher;
  private final GridStreams streams;
  private final Runnable onLoss;
  private final Predicate<String> watchedHere;
  private final ToLongFunction<String> cursorHere;
  private final Consumer<String> onHole;
  private final ScheduledExecutorService timer;
  /** The last seq passed on per stream. Guarded by this. */
  private final Map<String, Long> delivered = new HashMap<>();
  /** Streams with messages held behind a gap. Guarded by this. */
  private final Map<String, Gap> gaps = new HashMap<>();

  /**
   * @param onLoss what to do when the topic lost messages for this node (it fell too far behind):
   *     close the sockets so clients resume from their cursors
   * @param watchedHere whether a socket on this node receives a stream; others' messages are
   *     skipped without decoding (a socket that connects later replays from the grid)
   * @param cursorHere where live delivery of a stream continues from on this node (the lowest
   *     position its ready sockets were given, -1 where none is ready): the base for a stream this
   *     listener has not passed on yet
   * @param onHole what to do with a stream whose gap neither the topic nor history filled: close
   *     its sockets so their clients resume (and are told {@code reset})
   * @param timer where a held gap's grace runs out
   */
  GridBus(
      Dispatcher dispatcher, GridStreams streams, Runnable onLoss, Predicate<String> watchedHere,
      ToLongFunction<String> cursorHere, Consumer<String> onHole, ScheduledExecutorService timer) {
    this.dispatcher = dispatcher;
    this.streams = streams;
    this.onLoss = onLoss;
    this.watchedHere = watchedHere;
    this.cursorHere = cursorHere;
    this.onHole = onHole;
    this.timer = timer;
  }

  @Override
  public void onMessage(com.hazelcast.topic.Message<String> event) {
    try {
      String payload = event.getMessageObject();
      String key = GridCodec.streamOnBus(payload);
      synchronized (this) {
        if (!watchedHere.test(key)) {
          forget(key);
          return;
        }
        accept(key, GridCodec.fromBus(payload));
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "A message from the cluster could not be delivered on this node", e);
    }
  }

  private void accept(String key, Message message) {
    Long last = lastPassed(key);
    if (last != null && message.seq() <= last) {
      return; // already passed on, from history after a gap
    }
    Gap gap = gaps.get(key);
    if (last == null || message.seq() == last + 1) {
      pass(message);
      if (gap != null) {
        release(key, gap);
      }
      return;
    }
    if (gap == null) {
      gap = new Gap(System.nanoTime());
      gaps.put(key, gap);
      gap.waitFor(key);
    }
    gap.held.put(message.seq(), message);
    if (gap.held.size() == HOLD_LIMIT + 1) {
      fill(key, gap); // once as the limit is crossed, not again for every message held after it
    }
  }

  /**
   * The last seq passed on for the stream: where this listener left it or, for a stream it has not
   * passed on yet, where its sockets' replay ended; null where no socket here is ready for it.
   */
  private Long lastPassed(String key) {
    Long last = delivered.get(key);
    if (last == null) {
      long cursor = cursorHere.applyAsLong(key);
      if (cursor >= 0) {
        last = cursor; // continue where the sockets' replay ended, holding what comes early
        delivered.put(key, cursor);
      }
    }
    return last;
  }

  /**
   * Compares streams watched here with their positions in the grid. Where the grid is ahead of
   * what was passed on, the missing messages get the same grace as any gap (their publication may
   * still be on its way) and are then read from history, or given up as a hole.
   *
   * @param positions each stream's {@code seq} in the grid, read just now
   */
  synchronized void catchUp(Map<String, Long> positions) {
    positions.forEach(
        (key, position) -> {
          if (!watchedHere.test(key)) {
            return;
          }
          Long last = lastPassed(key);
          if (last == null || position <= last) {
            return;
          }
          Gap gap = gaps.computeIfAbsent(key, k -> new Gap(System.nanoTime()));
          gap.known = Math.max(gap.known, position);
          gap.waitFor(key);
        });
  }

  private void pass(Message message) {
    delivered.put(message.stream(), message.seq());
    dispatcher.dispatch(message);
  }

  /** Passes on the held messages that now follow without a gap. */
  private void release(String key, Gap gap) {
    long last = delivered.get(key);
    gap.held.headMap(last, true).clear();
    Message next;
    while ((next = gap.held.remove(last + 1)) != null) {
      pass(next);
      last++;
    }
    if (gap.held.isEmpty() && last >= gap.known) {
      gap.cancel();
      gaps.remove(key);
    }
  }

  /** The grace ran out: reads what is missing from history, or gives the gap up as a hole. */
  private synchronized void graceOver(String key, Gap gap) {
    gap.timeout = null;
    if (gaps.get(key) == gap) {
      fill(key, gap);
    }
  }

  private void fill(String key, Gap gap) {
    long last = delivered.get(key);
    long end = gap.end(); // the last missing seq
    try {
      List<Message> found = last < end ? streams.read(key, last + 1, end, Integer.MAX_VALUE, m -> true) : List.of();
      for (Message next : found) {
        if (next.seq() != last + 1) {
          break; // later ones wait until the one before them is found
        }
        pass(next);
        last++;
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Reading a gap in a stream from the cluster's history failed", e);
    }
    if (last < end && System.nanoTime() - gap.since < GAP_LIMIT.toNanos()) {
      gap.waitFor(key);
      return;
    }
    if (last < end) {
      long firstMissing = last + 1;
      LOG.warning(
          () -> "Messages " + firstMissing + ".." + end + " of a stream never reached"
              + " the cluster; its sockets are closed to resume");
      onHole.accept(key);
      delivered.put(key, end);
    }
    release(key, gap);
    if (gaps.get(key) == gap) { // another gap further on
      gap.since = System.nanoTime();
      gap.waitFor(key);
    }
  }

  private void forget(String key) {
    delivered.remove(key);
    Gap gap = gaps.remove(key);
    if (gap != null) {
      gap.cancel();
    }
  }

  @Override
  public long retrieveInitialSequence() {
    return -1; // from now on: what came before is in history
  }

  @Override
  public void storeSequence(long sequence) {
    // positions are per stream, in `delivered`
  }

  @Override
  public boolean isLossTolerant() {
    onLoss.run();
    return true;
  }

  @Override
  public boolean isTerminal(Throwable failure) {
    LOG.log(Level.WARNING, "Reading the cluster topic failed; going on", failure);
    return false;
  }

  /** Messages of one stream held behind a gap, by seq, and the timer that will fill it. */
  private final class Gap {
    final TreeMap<Long, Message> held = new TreeMap<>();
    /** The highest seq the grid is known to hold (from {@link #catchUp}), 0 where none is known. */
    long known;
    long since;
    /** The pending grace, or null while none is pending. */
    ScheduledFuture<?> timeout;

    Gap(long since) {
      this.since = since;
    }

    /** The last seq missing: the one before the first held, or the last known to the grid. */
    long end() {
      return held.isEmpty() ? known : held.firstKey() - 1;
    }

    void waitFor(String key) {
      if (timeout == null) {
        timeout = timer.schedule(() -> graceOver(key, this), GAP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    }

    void cancel() {
      if (timeout != null) {
        timeout.cancel(false);
        timeout = null;
      }
    }
  }
}
