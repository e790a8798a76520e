package dev.statusmessenger.cluster;

import dev.statusmessenger.config.MessengerConfig;
import dev.statusmessenger.stream.StreamKeys;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the streams and tasks watched on this node from idling out of the grid, as a replay would,
 * and passes on what the topic did not bring of the streams. Streams' positions are read at every
 * run ({@link #every}); watched tasks only at a quarter of their TTL, since their entries need no
 * position check and a task's read costs as much as a stream's.
 */
final class WatchedKeepAlive implements Runnable {

  private static final Logger LOG = Logger.getLogger(WatchedKeepAlive.class.getName());

  private final Supplier<Set<String>> watched;
  private final GridStreams streams;
  private final GridTasks tasks;
  private final GridBus bus;
  private final long every;
  private final long taskTouchEveryNanos;
  private volatile long tasksTouchedNanos; // a race with a member-left catch-up only touches twice

  /**
   * @param watched the stream keys with a socket on this node
   * @param catchUpEvery the longest wait between two reads of the watched streams' positions
   */
  WatchedKeepAlive(
      Supplier<Set<String>> watched, GridStreams streams, GridTasks tasks, GridBus bus,
      MessengerConfig config, long catchUpEvery) {
    this.watched = watched;
    this.streams = streams;
    this.tasks = tasks;
    this.bus = bus;
    long shortestTtl = Math.min(config.historyTtl().toMillis(), config.taskHistoryTtl().toMillis());
    this.every = Math.max(1000, Math.min(catchUpEvery, shortestTtl / 4));
    this.taskTouchEveryNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(every, config.taskHistoryTtl().toMillis() / 4));
    this.tasksTouchedNanos = System.nanoTime() - taskTouchEveryNanos; // the first run touches them
  }

  /** How often this runs, in milliseconds: at most a quarter of the shortest TTL, at least 1 s. */
  long every() {
    return every;
  }

  @Override
  public void run() {
    try {
      Set<String> keys = watched.get();
      bus.catchUp(streams.touch(keys));
      long now = System.nanoTime();
      if (now - tasksTouchedNanos < taskTouchEveryNanos) {
        return;
      }
      tasksTouchedNanos = now;
      Set<String> taskIds = new HashSet<>();
      for (String key : keys) {
        if (StreamKeys.isTask(key)) {
          taskIds.add(StreamKeys.idOf(key));
        }
      }
      tasks.touch(taskIds);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Keeping watched streams alive in the grid failed; it runs again", e);
    }
  }
}
