package dev.statusmessenger.pubsub;

import dev.statusmessenger.stream.Message;
import dev.statusmessenger.stream.MessageDraft;
import dev.statusmessenger.stream.StreamKeys;
import dev.statusmessenger.wire.JsonPlatform;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Publishes events to a topic off the producers' threads. A producer only offers the accepted
 * message to a bounded queue (dropped and counted when full); one sender thread encodes each event
 * as {@code {"websocket_session_id","event_type","timestamp","data"}} and publishes it, at most
 * {@value #MAX_IN_FLIGHT} (by default) at a time. A failed attempt that may succeed later is retried after an
 * exponential backoff with jitter, up to the policy's attempts; then the event is dropped, counted
 * and logged, without its contents.
 */
public final class EventExporter {

  /** Events published and not yet answered, retries included, before the sender waits (default). */
  static final int MAX_IN_FLIGHT = 1000;
  /** The longest wait between two attempts. */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  /** At most one warning per this period, with the counts so far, so a dead topic does not flood the log. */
  static final Duration LOG_EVERY = Duration.ofSeconds(30);

  private static final Logger LOG = Logger.getLogger(EventExporter.class.getName());

  /**
   * How the exporter queues and retries.
   *
   * @param queueSize events waiting for the sender before new ones are dropped
   * @param maxAttempts attempts per event, the first included
   * @param retryBackoff wait before the first retry, doubled for each further one
   * @param maxInFlight events published and not yet answered, retries included, before the sender waits
   */
  public record Policy(int queueSize, int maxAttempts, Duration retryBackoff, int maxInFlight) {

    public Policy(int queueSize, int maxAttempts, Duration retryBackoff) {
      this(queueSize, maxAttempts, retryBackoff, MAX_IN_FLIGHT);
    }
  }

  /** Where the exporter reports what happens to events, for metrics; called on any thread. */
  public interface Listener {
    Listener NONE = new Listener() {};

    default void published() {}

    default void retried() {}

    default void failed() {}

    default void dropped() {}
  }

  private final TopicClient client;
  private final Policy policy;
  private final Listener listener;
  private final ArrayBlockingQueue<Message> queue;
  private final Semaphore inFlight;
  private final ScheduledExecutorService retries;
  private final Thread sender;
  private final LongAdder published = new LongAdder();
  private final LongAdder retried = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final AtomicLong nextFailureLog = new AtomicLong(System.nanoTime());
  private final AtomicLong nextDropLog = new AtomicLong(System.nanoTime());
  private volatile boolean stopping;

  public EventExporter(TopicClient client, Policy policy, Listener listener, ThreadFactory threads) {
    this.client = client;
    this.policy = policy;
    this.listener = listener;
    this.queue = new ArrayBlockingQueue<>(policy.queueSize());
    this.inFlight = new Semaphore(policy.maxInFlight());
    this.retries = Executors.newSingleThreadScheduledExecutor(named(threads, "status-messenger-pubsub-retry"));
    this.sender = named(threads, "status-messenger-pubsub-sender").newThread(this::send);
  }

  /** Starts the sender thread. */
  public void start() {
    sender.start();
  }

  /**
   * Takes an accepted message for export, where it is an event of a session. Called on the
   * producer's thread: never blocks, never throws.
   *
   * @return whether it was queued (false for other messages, and when the queue is full or closed)
   */
  public boolean offer(Message message) {
    if (!(message.content() instanceof MessageDraft.Event) || StreamKeys.isTask(message.stream())) {
      return false;
    }
    if (!stopping && queue.offer(message)) {
      return true;
    }
    dropped.increment();
    listener.dropped();
    if (due(nextDropLog)) {
      LOG.warning(
          () -> "Pub/Sub export is " + policy.queueSize() + " events behind: new events are dropped ("
              + dropped.sum() + " so far)");
    }
    return false;
  }

  /**
   * Stops taking events, publishes what is queued and waits for the answers, at most {@code wait}
   * in all; what is still waiting then is counted as dropped.
   */
  public void stop(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    stopping = true;
    try {
      sender.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      int all = policy.maxInFlight();
      if (inFlight.tryAcquire(all, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        inFlight.release(all);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sender.interrupt();
    retries.shutdownNow();
    client.shutdown(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    int abandoned = queue.size() + (policy.maxInFlight() - inFlight.availablePermits());
    queue.clear();
    if (abandoned > 0) {
      dropped.add(abandoned);
      LOG.warning(() -> "Pub/Sub export stopped with " + abandoned + " events unpublished");
    }
  }

  /** Events the topic accepted. */
  public long published() {
    return published.sum();
  }

  /** Attempts made again after a failure. */
  public long retries() {
    return retried.sum();
  }

  /** Events given up: attempts exhausted, or a failure that retrying cannot mend. */
  public long failed() {
    return failed.sum();
  }

  /** Events not exported because the queue was full or the exporter stopping. */
  public long dropped() {
    return dropped.sum();
  }

  /** Events waiting for the sender. */
  public int queued() {
    return queue.size();
  }

  private void send() {
    while (!stopping || !queue.isEmpty()) {
      try {
        Message message = queue.poll(200, TimeUnit.MILLISECONDS);
        if (message == null) {
          continue;
        }
        Outgoing event;
        try {
          event = new Outgoing(encode(message), attributes(message));
        } catch (RuntimeException e) {
          failed.increment();
          listener.failed();
          LOG.log(Level.WARNING, "Pub/Sub export could not encode an event; it goes on with the next", e);
          continue;
        }
        inFlight.acquire();
        attempt(event, 1);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void attempt(Outgoing event, int attempt) {
    try {
      client.publish(event.data(), event.attributes())
          .whenComplete((id, error) -> completed(event, attempt, error));
    } catch (RuntimeException e) {
      completed(event, attempt, e);
    }
  }

  private void completed(Outgoing event, int attempt, Throwable error) {
    if (error == null) {
      published.increment();
      listener.published();
      inFlight.release();
      return;
    }
    TopicClient.PublishFailure failure = failureOf(error);
    if (failure.retryable() && attempt < policy.maxAttempts() && !retries.isShutdown()) {
      retried.increment();
      listener.retried();
      try {
        retries.schedule(() -> attempt(event, attempt + 1), backoffMillis(attempt), TimeUnit.MILLISECONDS);
        return;
      } catch (RuntimeException shutDown) {
        // stopping: give the event up below
      }
    }
    failed.increment();
    listener.failed();
    inFlight.release();
    if (due(nextFailureLog)) {
      LOG.warning(
          () -> "Pub/Sub export gave an event up after " + attempt + " attempt(s), last error "
              + failure.code() + (failure.retryable() ? "" : " (not retryable)") + "; so far "
              + failed.sum() + " given up, " + published.sum() + " published, " + retried.sum()
              + " retries");
    }
  }

  /** The wait before attempt {@code attempt + 1}: the backoff doubled per retry, capped, with jitter. */
  long backoffMillis(int attempt) {
    long base = policy.retryBackoff().toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.max(1, Math.min(base, MAX_BACKOFF.toMillis()));
    return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
  }

  /** The published JSON: {@code {"websocket_session_id","event_type","timestamp","data"}}. */
  static byte[] encode(Message message) {
    MessageDraft.Event event = (MessageDraft.Event) message.content();
    String json =
        JsonPlatform.JSON.createObjectBuilder()
            .add("websocket_session_id", StreamKeys.idOf(message.stream()))
            .add("event_type", event.eventType())
            .add("timestamp", message.ts().toString())
            .add("data", event.data())
            .build()
            .toString();
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Attributes for subscription filters and for consumers that order or deduplicate: the event's
   * type, its session and its {@code seq} in that session's stream; never its data.
   */
  static Map<String, String> attributes(Message message) {
    return Map.of(
        "event_type", ((MessageDraft.Event) message.content()).eventType(),
        "websocket_session_id", StreamKeys.idOf(message.stream()),
        "seq", Long.toString(message.seq()));
  }

  private static TopicClient.PublishFailure failureOf(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause instanceof TopicClient.PublishFailure failure
        ? failure
        : new TopicClient.PublishFailure(cause.getClass().getSimpleName(), false, cause);
  }

  private static boolean due(AtomicLong next) {
    long now = System.nanoTime();
    long at = next.get();
    return now - at >= 0 && next.compareAndSet(at, now + LOG_EVERY.toNanos());
  }

  private static ThreadFactory named(ThreadFactory threads, String name) {
    return task -> {
      Thread thread = threads.newThread(task);
      thread.setName(name);
      thread.setDaemon(true);
      return thread;
    };
  }

  private record Outgoing(byte[] data, Map<String, String> attributes) {}
}
