package dev.statusmessenger.ops;

import dev.statusmessenger.auth.AuthFailed;
import dev.statusmessenger.dispatch.Dispatcher;
import dev.statusmessenger.session.ConnectionManager;
import dev.statusmessenger.stream.Message;
import dev.statusmessenger.stream.TrafficStats;
import dev.statusmessenger.wire.FrameType;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * This metrics bean publishes status-messenger's traffic through MicroProfile Metrics (the
 * application registry, served by the platform on {@code /metrics}): sockets, sessions, messages in
 * and out by type, coalesced and dropped frames, the dispatcher's queue depth, delivery latency and
 * refused credentials. Names are listed in {@code docs/operations.md}.
 */
@ApplicationScoped
public class MessengerMetrics implements TrafficStats {

  static final String CONNECTIONS = "status_messenger_connections";
  static final String SESSIONS = "status_messenger_sessions";
  static final String QUEUE_DEPTH = "status_messenger_dispatch_queue_depth";
  static final String MESSAGES_IN = "status_messenger_messages_in";
  static final String MESSAGES_OUT = "status_messenger_messages_out";
  static final String COALESCED = "status_messenger_frames_coalesced";
  static final String DROPPED = "status_messenger_frames_dropped";
  static final String LATENCY = "status_messenger_delivery_latency";
  static final String AUTH_FAILURES = "status_messenger_auth_failures";

  @Inject MetricRegistry registry;
  @Inject ConnectionManager connections;
  @Inject Dispatcher dispatcher;

  private Map<String, Counter> in;
  private Map<String, Counter> out;
  private Counter coalesced;
  private Counter dropped;
  private Timer latency;
  private Map<String, Counter> authFailures;

  private final TrafficWindow window = new TrafficWindow();

  @PostConstruct
  void register() {
    registry.gauge(
        Metadata.builder().withName(CONNECTIONS)
            .withDescription("Authenticated sockets on this node").build(),
        connections, ConnectionManager::connectionCount);
    registry.gauge(
        Metadata.builder().withName(SESSIONS)
            .withDescription("Sessions with at least one socket on this node").build(),
        connections, ConnectionManager::sessionCount);
    registry.gauge(
        Metadata.builder().withName(QUEUE_DEPTH)
            .withDescription("Messages accepted and not yet handed to their sockets").build(),
        dispatcher, Dispatcher::queued);
    in = byType(MESSAGES_IN, "Messages accepted from producers, by type");
    out = byType(MESSAGES_OUT, "Messages handed to sockets (one per socket), by type");
    coalesced = registry.counter(
        Metadata.builder().withName(COALESCED)
            .withDescription("Pending status frames replaced by a newer status before sending")
            .build());
    dropped = registry.counter(
        Metadata.builder().withName(DROPPED)
            .withDescription("Frames discarded unsent because their socket closed").build());
    latency = registry.timer(
        Metadata.builder().withName(LATENCY)
            .withDescription("From a message's acceptance to its hand-over to a socket")
            .withUnit(MetricUnits.NANOSECONDS).build());
    authFailures = Map.of(
        AuthFailed.SOCKET, authCounter(AuthFailed.SOCKET),
        AuthFailed.HTTP, authCounter(AuthFailed.HTTP));
  }

  /** Registers the metrics at start, so every one is on {@code /metrics} before any traffic. */
  void started(@Observes @Initialized(ApplicationScoped.class) Object application) {
    // observing is enough: the container creates the bean, and @PostConstruct registers
  }

  @Override
  public void accepted(Message message) {
    in.get(message.type()).inc();
    window.accepted(message.stream());
  }

  @Override
  public void sent(Message message) {
    out.get(message.type()).inc();
    long nanos = System.nanoTime() - message.acceptedNanos();
    latency.update(Duration.ofNanos(nanos));
    window.delivered(nanos);
  }

  @Override
  public void coalesced() {
    coalesced.inc();
  }

  @Override
  public void dropped(int frames) {
    dropped.inc(frames);
  }

  void authFailed(@Observes AuthFailed failure) {
    Counter counter = authFailures.get(failure.channel());
    if (counter != null) {
      counter.inc();
    }
  }

  /**
   * Per-stream counts and the latency histogram of the interval under way, for the ops page (a
   * method, not a field: callers hold the CDI proxy).
   */
  TrafficWindow window() {
    return window;
  }

  /** Messages accepted from producers since start, of one type. */
  long messagesIn(String type) {
    return in.get(type).getCount();
  }

  /** Messages handed to sockets since start, of one type. */
  long messagesOut(String type) {
    return out.get(type).getCount();
  }

  long framesDropped() {
    return dropped.getCount();
  }

  long framesCoalesced() {
    return coalesced.getCount();
  }

  /** Refused credentials since start, on sockets and over HTTP together. */
  long authFailures() {
    long total = 0;
    for (Counter c : authFailures.values()) {
      total += c.getCount();
    }
    return total;
  }

  private Counter authCounter(String channel) {
    return registry.counter(
        Metadata.builder().withName(AUTH_FAILURES)
            .withDescription("Refused credentials (missing, wrong or expired), by channel").build(),
        new Tag("channel", channel));
  }

  private Map<String, Counter> byType(String name, String description) {
    Metadata metadata = Metadata.builder().withName(name).withDescription(description).build();
    Map<String, Counter> counters = new java.util.HashMap<>();
    for (String type : FrameType.MESSAGE_TYPES) {
      counters.put(type, registry.counter(metadata, new Tag("type", type)));
    }
    return Map.copyOf(counters);
  }
}
