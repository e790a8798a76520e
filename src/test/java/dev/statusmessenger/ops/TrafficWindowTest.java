package dev.statusmessenger.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statusmessenger.stream.StreamKeys;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficWindowTest {

  @Test
  void drainReturnsTheBusiestSessionsAndTasksApartAndStartsAfresh() {
    TrafficWindow window = new TrafficWindow();
    for (int i = 0; i < 5; i++) {
      window.accepted("busy");
    }
    window.accepted("quiet");
    for (int i = 0; i < 3; i++) {
      window.accepted(StreamKeys.task("t1"));
    }
    TrafficWindow.Interval interval = window.drain(1);
    assertEquals(List.of(new TrafficWindow.StreamCount("busy", 5)), interval.sessions());
    assertEquals(List.of(new TrafficWindow.StreamCount(StreamKeys.task("t1"), 3)), interval.tasks());
    TrafficWindow.Interval next = window.drain(10);
    assertTrue(next.sessions().isEmpty() && next.tasks().isEmpty(), "the next interval starts at zero");
  }

  @Test
  void streamsBeyondTheTrackingBoundAreNotToldApart() {
    TrafficWindow window = new TrafficWindow();
    for (int i = 0; i < TrafficWindow.MAX_TRACKED_STREAMS + 50; i++) {
      window.accepted("s" + i);
    }
    window.accepted("s0");
    TrafficWindow.Interval interval = window.drain(Integer.MAX_VALUE);
    assertEquals(TrafficWindow.MAX_TRACKED_STREAMS, interval.sessions().size());
    assertEquals(new TrafficWindow.StreamCount("s0", 2), interval.sessions().get(0));
  }

  @Test
  void latencyPercentilesAreWithinABucketOfTheTruth() {
    TrafficWindow window = new TrafficWindow();
    for (int ms = 1; ms <= 100; ms++) {
      window.delivered(ms * 1_000_000L);
    }
    LatencyHistogram h = window.drain(1).latency();
    assertEquals(100, h.count());
    assertEquals(100_000_000L, h.maxNanos());
    assertWithin(50_000_000L, h.percentileNanos(0.50));
    assertWithin(95_000_000L, h.percentileNanos(0.95));
    assertWithin(99_000_000L, h.percentileNanos(0.99));
    assertEquals(100_000_000L, h.percentileNanos(1.0), "never above the longest");
  }

  @Test
  void anEmptyHistogramSaysZero() {
    LatencyHistogram h = new LatencyHistogram();
    assertEquals(0, h.count());
    assertEquals(0, h.percentileNanos(0.99));
  }

  @Test
  void bucketsCoverEveryLatencyAndTheirBoundsGrow() {
    long previous = 0;
    for (int b = 0; b < LatencyHistogram.BUCKETS; b++) {
      long upper = LatencyHistogram.upperBoundNanos(b);
      assertTrue(upper > previous, "bucket " + b);
      assertEquals(b, LatencyHistogram.bucketOf(upper - 1000), "the last microsecond of bucket " + b);
      previous = upper;
    }
    assertEquals(0, LatencyHistogram.bucketOf(-5));
    assertEquals(LatencyHistogram.BUCKETS - 1, LatencyHistogram.bucketOf(Long.MAX_VALUE));
  }

  /** At or above the truth, by less than a quarter (one bucket). */
  private static void assertWithin(long truth, long reported) {
    assertTrue(reported >= truth && reported <= truth * 5 / 4, "reported " + reported + " for " + truth);
  }
}
