package dev.statusmessenger.cluster;

import com.hazelcast.map.IMap;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Idempotency answers in the data grid: a key's answer is stored for the history window, and a
 * request runs under the key's grid lock, so a retry on any node waits for the first and then
 * gets its answer.
 */
public final class GridAnswers {

  private static final long LOCK_LEASE_SECONDS = 60;

  private final IMap<String, String> answers;

  GridAnswers(IMap<String, String> answers) {
    this.answers = answers;
  }

  /** Runs {@code work} holding the key's lock across the cluster. */
  public <T> T locked(String key, Supplier<T> work) {
    answers.lock(key, LOCK_LEASE_SECONDS, TimeUnit.SECONDS);
    try {
      return work.get();
    } finally {
      answers.unlock(key);
    }
  }

  /** The stored answer, or null. */
  public String get(String key) {
    return answers.get(key);
  }

  public void put(String key, String answer, Duration window) {
    answers.set(key, answer, Math.max(1, window.toSeconds()), TimeUnit.SECONDS);
  }
}
