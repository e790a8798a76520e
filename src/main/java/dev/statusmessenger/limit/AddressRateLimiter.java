package dev.statusmessenger.limit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Limits how often one client address may do something (create sessions): a token bucket per
 * address, with a burst of the per-minute budget. Buckets that have refilled are forgotten, and the
 * map is swept when it grows, so a scan from many addresses cannot grow memory without bound.
 */
public final class AddressRateLimiter {

  /** Addresses tracked before full buckets are swept; past twice this, new addresses share one. */
  static final int SWEEP_AT = 10_000;

  private static final String OVERFLOW = "<overflow>";

  private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final int perMinute;
  private final LongSupplier nanoTime;

  public AddressRateLimiter(int perMinute, LongSupplier nanoTime) {
    this.perMinute = perMinute;
    this.nanoTime = nanoTime;
  }

  /**
   * Takes one from the address's budget.
   *
   * @return 0 where allowed, else the whole seconds (at least 1) after which to try again
   */
  public long tryAcquire(String address) {
    long now = nanoTime.getAsLong();
    if (buckets.size() >= SWEEP_AT) {
      buckets.values().removeIf(b -> b.isFull(now));
    }
    String key = buckets.size() >= 2 * SWEEP_AT && !buckets.containsKey(address) ? OVERFLOW : address;
    TokenBucket bucket =
        buckets.computeIfAbsent(key, k -> new TokenBucket(perMinute, perMinute / 60.0, now));
    if (bucket.tryTake(now)) {
      return 0;
    }
    long nanos = bucket.nanosUntilNext(now);
    return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
  }

  /** Addresses currently tracked. */
  int tracked() {
    return buckets.size();
  }
}
