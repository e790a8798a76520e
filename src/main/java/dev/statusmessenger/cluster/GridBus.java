package dev.statusmessenger.cluster;

import com.hazelcast.topic.ReliableMessageListener;
import dev.statusmessenger.dispatch.Dispatcher;
import dev.statusmessenger.stream.Message;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This listener feeds the node's dispatcher from the grid topic, which carries every node's
 * messages in one order (a reliable topic: one ring buffer, with a backup). It passes each
 * stream's messages on in {@code seq} order with no gap and no repeat: where a message arrives
 * after a gap (its producer's node died between storing and publishing, or this node fell behind),
 * the missing ones are read from the grid's history first.
 */
final class GridBus implements ReliableMessageListener<String> {

  private static final Logger LOG = Logger.getLogger(GridBus.class.getName());

  private final Dispatcher dispatcher;
  private final GridStreams streams;
  private final Runnable onLoss;
  private final Predicate<String> watchedHere;
  /** The last seq passed on per stream; only the topic's one listener thread writes it. */
  private final ConcurrentHashMap<String, Long> delivered = new ConcurrentHashMap<>();

  /**
   * @param onLoss what to do when the topic lost messages for this node (it fell too far behind):
   *     close the sockets so clients resume from their cursors
   * @param watchedHere whether a socket on this node receives a stream; others' messages are
   *     skipped without decoding (a socket that connects later replays from the grid)
   */
  GridBus(Dispatcher dispatcher, GridStreams streams, Runnable onLoss, Predicate<String> watchedHere) {
    this.dispatcher = dispatcher;
    this.streams = streams;
    this.onLoss = onLoss;
    this.watchedHere = watchedHere;
  }

  @Override
  public void onMessage(com.hazelcast.topic.Message<String> event) {
    try {
      String payload = event.getMessageObject();
      String key = GridCodec.streamOnBus(payload);
      if (!watchedHere.test(key)) {
        delivered.remove(key);
        return;
      }
      Message message = GridCodec.fromBus(payload);
      Long last = delivered.get(key);
      if (last != null && message.seq() <= last) {
        return; // already passed on, from history after a gap
      }
      if (last != null && message.seq() > last + 1) {
        List<Message> missed = streams.read(key, last + 1, message.seq() - 1, Integer.MAX_VALUE, m -> true);
        LOG.fine(() -> "Filled a gap of " + (message.seq() - 1 - last) + " in a stream from history");
        missed.forEach(dispatcher::dispatch);
      }
      delivered.put(key, message.seq());
      dispatcher.dispatch(message);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "A message from the cluster could not be delivered on this node", e);
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
}
