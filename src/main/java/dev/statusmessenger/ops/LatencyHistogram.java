package dev.statusmessenger.ops;

import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * This histogram counts delivery latencies of one interval in log-scale buckets (four per power
 * of two, from a microsecond: each within 25 % of the next), so percentiles cost one striped add
 * per frame on the hot path (senders on many threads do not contend) and a scan of 144 counters
 * per interval.
 */
final class LatencyHistogram {

  static final int BUCKETS = 144;

  private final LongAdder[] counts = new LongAdder[BUCKETS];
  private final LongAccumulator max = new LongAccumulator(Math::max, 0);

  LatencyHistogram() {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] = new LongAdder();
    }
  }

  /** Records one latency. */
  void record(long nanos) {
    counts[bucketOf(nanos)].increment();
    max.accumulate(nanos);
  }

  /** How many latencies were recorded. */
  long count() {
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      total += counts[i].sum();
    }
    return total;
  }

  /** The longest latency recorded, in nanoseconds; 0 where none was. */
  long maxNanos() {
    return max.get();
  }

  /**
   * The latency under which a fraction {@code q} of those recorded fall: the upper bound of the
   * bucket holding that rank, never above the longest recorded. 0 where none was recorded.
   */
  long percentileNanos(double q) {
    long total = count();
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i].sum();
      if (seen >= rank) {
        return Math.min(upperBoundNanos(i), maxNanos());
      }
    }
    return maxNanos();
  }

  /** The bucket of a latency: microseconds 0-3 exactly, then four buckets per power of two. */
  static int bucketOf(long nanos) {
    long micros = Math.max(0, nanos / 1000);
    if (micros < 4) {
      return (int) micros;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(micros); // >= 2
    int sub = (int) ((micros >> (exponent - 2)) & 3);
    return Math.min(BUCKETS - 1, 4 + (exponent - 2) * 4 + sub);
  }

  /** The smallest latency, in nanoseconds, above every one of the bucket. */
  static long upperBoundNanos(int bucket) {
    if (bucket < 4) {
      return (bucket + 1) * 1000L;
    }
    int exponent = (bucket - 4) / 4 + 2;
    int sub = (bucket - 4) % 4;
    return ((5L + sub) << (exponent - 2)) * 1000L;
  }
}
