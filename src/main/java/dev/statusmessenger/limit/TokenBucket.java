package dev.statusmessenger.limit;

/**
 * A token bucket: {@code capacity} tokens, refilled at {@code perSecond}; each take spends one. It
 * allows a burst of {@code capacity} and then a steady {@code perSecond}. Time comes from the
 * caller (nanoseconds), so tests need no clock. Thread-safe.
 */
public final class TokenBucket {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final double capacity;
  private final double perNano;
  private double tokens;
  private long refilledAt;

  public TokenBucket(double capacity, double perSecond, long nowNanos) {
    if (capacity < 1 || perSecond <= 0) {
      throw new IllegalArgumentException("capacity must be at least 1 and the rate positive");
    }
    this.capacity = capacity;
    this.perNano = perSecond / NANOS_PER_SECOND;
    this.tokens = capacity;
    this.refilledAt = nowNanos;
  }

  /** Spends one token where there is one; false where the bucket is empty. */
  public synchronized boolean tryTake(long nowNanos) {
    refill(nowNanos);
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Nanoseconds until the next token is there (0 where one is). */
  public synchronized long nanosUntilNext(long nowNanos) {
    refill(nowNanos);
    return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano);
  }

  /** Whether the bucket is full again, so a limiter may forget it. */
  public synchronized boolean isFull(long nowNanos) {
    refill(nowNanos);
    return tokens >= capacity;
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - refilledAt;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed * perNano);
      refilledAt = nowNanos;
    }
  }
}
