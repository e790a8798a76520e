package dev.statusmessenger.ops;

import dev.statusmessenger.stream.StreamKeys;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * This window counts, for the interval under way, what the operator page shows beyond the metrics'
 * totals: messages accepted per stream (to find the busiest sessions and tasks) and the delivery
 * latency histogram. The hot path does one map look-up and one add; {@link #drain} swaps in fresh
 * counters once an interval. At most {@link #MAX_TRACKED_STREAMS} streams are told apart in one
 * interval, so a flood of distinct sessions cannot grow it without bound.
 */
final class TrafficWindow {

  static final int MAX_TRACKED_STREAMS = 10_000;

  /** A stream and how many messages it accepted. */
  record StreamCount(String key, long messages) {}

  /** What one interval counted: the busiest streams (at most {@code keep} of each kind), latency. */
  record Interval(List<StreamCount> sessions, List<StreamCount> tasks, LatencyHistogram latency) {}

  private volatile ConcurrentHashMap<String, LongAdder> perStream = new ConcurrentHashMap<>();
  private volatile LatencyHistogram latency = new LatencyHistogram();

  /** A message was accepted into the stream with this key. */
  void accepted(String streamKey) {
    ConcurrentHashMap<String, LongAdder> counts = perStream;
    LongAdder count = counts.get(streamKey);
    if (count == null) {
      if (counts.size() >= MAX_TRACKED_STREAMS) {
        return;
      }
      count = counts.computeIfAbsent(streamKey, k -> new LongAdder());
    }
    count.increment();
  }

  /** A message reached a socket this long after it was accepted. */
  void delivered(long latencyNanos) {
    latency.record(latencyNanos);
  }

  /**
   * Ends the interval: returns what it counted (its {@code keep} busiest sessions and tasks) and
   * starts the next one. A count racing with the swap may land in either interval.
   */
  Interval drain(int keep) {
    ConcurrentHashMap<String, LongAdder> counts = perStream;
    LatencyHistogram histogram = latency;
    perStream = new ConcurrentHashMap<>();
    latency = new LatencyHistogram();
    List<StreamCount> sessions = new ArrayList<>();
    List<StreamCount> tasks = new ArrayList<>();
    for (Map.Entry<String, LongAdder> e : counts.entrySet()) {
      StreamCount c = new StreamCount(e.getKey(), e.getValue().sum());
      (StreamKeys.isTask(e.getKey()) ? tasks : sessions).add(c);
    }
    return new Interval(busiest(sessions, keep), busiest(tasks, keep), histogram);
  }

  /** The {@code keep} streams with the most messages, most first (ties by key, for stable order). */
  static List<StreamCount> busiest(List<StreamCount> counts, int keep) {
    return counts.stream()
        .sorted(
            Comparator.comparingLong(StreamCount::messages).reversed()
                .thenComparing(StreamCount::key))
        .limit(keep)
        .toList();
  }
}
