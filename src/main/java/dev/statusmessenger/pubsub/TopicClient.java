package dev.statusmessenger.pubsub;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * One topic of a message service, as the exporter needs it: publish one message, asynchronously.
 * Our own small interface, so that no Google type appears outside {@code pubsub.google} and the
 * default WAR does not need the client library.
 */
public interface TopicClient {

  /**
   * Starts one publish attempt, with no retries of its own: the exporter retries.
   *
   * @return completes with the message id the service gave, or exceptionally with a {@link
   *     PublishFailure} saying whether another attempt may succeed
   */
  CompletionStage<String> publish(byte[] data, Map<String, String> attributes);

  /** Sends what is batched, then releases the client's threads and connections, waiting at most this long. */
  void shutdown(Duration wait);

  /** Why an attempt failed: the service's status code, and whether trying again may help. */
  final class PublishFailure extends RuntimeException {
    private final String code;
    private final boolean retryable;

    public PublishFailure(String code, boolean retryable, Throwable cause) {
      super(code, cause, false, false);
      this.code = code;
      this.retryable = retryable;
    }

    /** The status code, such as {@code UNAVAILABLE} or {@code DEADLINE_EXCEEDED}. */
    public String code() {
      return code;
    }

    public boolean retryable() {
      return retryable;
    }
  }
}
