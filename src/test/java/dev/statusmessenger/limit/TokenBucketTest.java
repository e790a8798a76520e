package dev.statusmessenger.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void allowsABurstThenTheSteadyRate() {
    TokenBucket bucket = new TokenBucket(20, 20, 0);
    for (int i = 0; i < 20; i++) {
      assertTrue(bucket.tryTake(0), "burst message " + i);
    }
    assertFalse(bucket.tryTake(0));
    assertEquals(SECOND / 20, bucket.nanosUntilNext(0));
    assertTrue(bucket.tryTake(SECOND / 20));
    assertFalse(bucket.tryTake(SECOND / 20));
    assertFalse(bucket.isFull(SECOND / 2));
    assertTrue(bucket.isFull(2 * SECOND));
  }

  @Test
  void addressesHaveTheirOwnBudgetAndAreToldWhenToRetry() {
    AtomicLong now = new AtomicLong();
    AddressRateLimiter limiter = new AddressRateLimiter(6, now::get);
    for (int i = 0; i < 6; i++) {
      assertEquals(0, limiter.tryAcquire("10.0.0.1"));
    }
    assertEquals(10, limiter.tryAcquire("10.0.0.1"), "one session per 10 s at 6 a minute");
    assertEquals(0, limiter.tryAcquire("10.0.0.2"));
    now.addAndGet(10 * SECOND);
    assertEquals(0, limiter.tryAcquire("10.0.0.1"));
  }

  @Test
  void manyAddressesDoNotGrowMemoryWithoutBound() {
    AtomicLong now = new AtomicLong();
    AddressRateLimiter limiter = new AddressRateLimiter(60, now::get);
    for (int i = 0; i < 5 * AddressRateLimiter.SWEEP_AT; i++) {
      limiter.tryAcquire("addr-" + i);
      if (i % 1000 == 0) {
        now.addAndGet(SECOND);
      }
    }
    assertTrue(limiter.tracked() <= 2 * AddressRateLimiter.SWEEP_AT + 1, "tracked " + limiter.tracked());
  }
}
