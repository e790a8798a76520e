package dev.statusmessenger.ops;

import dev.statusmessenger.config.PlatformResources;
import dev.statusmessenger.dispatch.Dispatcher;
import dev.statusmessenger.session.ConnectionManager;
import dev.statusmessenger.session.OperatorFeed;
import dev.statusmessenger.stream.StreamKeys;
import dev.statusmessenger.task.Task;
import dev.statusmessenger.task.TaskRegistry;
import dev.statusmessenger.wire.FrameType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This feed samples the node's traffic once a second into a ring of the last five minutes and
 * sends each new sample, as an {@code ops} frame, to the operator sockets ({@code /ws/ops/live},
 * behind a producer key); a socket that joins first gets the whole ring. Totals come from {@link
 * MessengerMetrics}' counters, per-stream counts and latency percentiles from its {@link
 * TrafficWindow}: the hot path pays nothing more for the sampling. The busiest sessions and tasks
 * over the window are summed from each second's busiest twenty, so a stream that is never among
 * them in any one second is not listed (it is not the busiest either).
 */
@ApplicationScoped
public class OpsFeed implements OperatorFeed {

  static final long INTERVAL_MILLIS = 1000;
  static final int WINDOW_SAMPLES = 300;
  static final int KEPT_PER_SAMPLE = 20;
  static final int BUSIEST = 10;

  private static final Logger LOG = Logger.getLogger(OpsFeed.class.getName());
  private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());
  private static final List<String> TYPES = FrameType.MESSAGE_TYPES;

  @Inject MessengerMetrics metrics;
  @Inject ConnectionManager connections;
  @Inject Dispatcher dispatcher;
  @Inject TaskRegistry tasks;

  private final ArrayDeque<OpsSample> samples = new ArrayDeque<>(WINDOW_SAMPLES); // guarded by this
  private long[] lastIn = new long[TYPES.size()];
  private long[] lastOut = new long[TYPES.size()];
  private long lastDropped;
  private long lastCoalesced;
  private long lastAuthFailures;
  private ScheduledFuture<?> ticking;

  void start(@Observes @Initialized(ApplicationScoped.class) Object application) {
    synchronized (this) {
      lastIn = counts(metrics::messagesIn);
      lastOut = counts(metrics::messagesOut);
      lastDropped = metrics.framesDropped();
      lastCoalesced = metrics.framesCoalesced();
      lastAuthFailures = metrics.authFailures();
    }
    ticking =
        PlatformResources.scheduler()
            .scheduleAtFixedRate(this::tick, INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object application) {
    if (ticking != null) {
      ticking.cancel(false);
    }
  }

  /** Takes this second's sample and sends it to the operator sockets. */
  void tick() {
    try {
      OpsSample sample = sample();
      if (connections.operatorCount() > 0) {
        connections.sendToOperators(frame(List.of(sample)));
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Sampling traffic for the ops page failed; it runs again", e);
    }
  }

  @Override
  public String greeting() {
    List<OpsSample> all;
    synchronized (this) {
      all = List.copyOf(samples);
    }
    return frame(all);
  }

  private synchronized OpsSample sample() {
    TrafficWindow.Interval interval = metrics.window().drain(KEPT_PER_SAMPLE);
    long[] in = counts(metrics::messagesIn);
    long[] out = counts(metrics::messagesOut);
    long dropped = metrics.framesDropped();
    long coalesced = metrics.framesCoalesced();
    long authFailures = metrics.authFailures();
    LatencyHistogram h = interval.latency();
    long[] latency =
        h.count() == 0 ? null
            : new long[] {
              h.percentileNanos(0.50), h.percentileNanos(0.95), h.percentileNanos(0.99), h.maxNanos()
            };
    OpsSample sample =
        new OpsSample(
            System.currentTimeMillis(),
            minus(in, lastIn),
            minus(out, lastOut),
            dropped - lastDropped,
            coalesced - lastCoalesced,
            authFailures - lastAuthFailures,
            latency,
            connections.connectionCount(),
            dispatcher.queued(),
            interval.sessions(),
            interval.tasks());
    lastIn = in;
    lastOut = out;
    lastDropped = dropped;
    lastCoalesced = coalesced;
    lastAuthFailures = authFailures;
    samples.addLast(sample);
    while (samples.size() > WINDOW_SAMPLES) {
      samples.removeFirst();
    }
    return sample;
  }

  /**
   * The {@code ops} frame: the node's counts now, its totals since start, the given samples, and
   * the busiest sessions and tasks over the whole window.
   */
  String frame(List<OpsSample> fresh) {
    List<TrafficWindow.StreamCount> busySessions;
    List<TrafficWindow.StreamCount> busyTasks;
    synchronized (this) {
      busySessions = busiest(samples, true);
      busyTasks = busiest(samples, false);
    }
    StringWriter text = new StringWriter(512 + fresh.size() * 256);
    try (JsonGenerator g = GENERATORS.createGenerator(text)) {
      g.writeStartObject()
          .write("type", FrameType.OPS)
          .write("ts", Instant.now().toString())
          .write("interval_ms", INTERVAL_MILLIS)
          .write("window_s", WINDOW_SAMPLES * INTERVAL_MILLIS / 1000);
      g.writeStartObject("now")
          .write("connections", connections.connectionCount())
          .write("sessions", connections.sessionCount())
          .write("tasks", tasks.size())
          .write("operators", connections.operatorCount())
          .write("queue_depth", dispatcher.queued())
          .writeEnd();
      g.writeStartObject("totals");
      writeByType(g, "in", counts(metrics::messagesIn));
      writeByType(g, "out", counts(metrics::messagesOut));
      g.write("dropped", metrics.framesDropped())
          .write("coalesced", metrics.framesCoalesced())
          .write("auth_failures", metrics.authFailures())
          .writeEnd();
      g.writeStartArray("samples");
      for (OpsSample s : fresh) {
        writeSample(g, s);
      }
      g.writeEnd();
      g.writeStartObject("busiest");
      g.writeStartArray("sessions");
      for (TrafficWindow.StreamCount c : busySessions) {
        g.writeStartObject()
            .write("id", c.key())
            .write("messages", c.messages())
            .write("sockets", connections.connectionCount(c.key()))
            .writeEnd();
      }
      g.writeEnd();
      g.writeStartArray("tasks");
      for (TrafficWindow.StreamCount c : busyTasks) {
        String id = StreamKeys.idOf(c.key());
        g.writeStartObject()
            .write("id", id)
            .write("description", tasks.find(id).map(Task::description).orElse(""))
            .write("lines", c.messages())
            .write("viewers", connections.connectionCount(c.key()))
            .writeEnd();
      }
      g.writeEnd();
      g.writeEnd();
      g.writeEnd();
    }
    return text.toString();
  }

  private static void writeSample(JsonGenerator g, OpsSample s) {
    g.writeStartObject().write("t", s.endMillis());
    writeByType(g, "in", s.in());
    writeByType(g, "out", s.out());
    g.write("dropped", s.dropped())
        .write("coalesced", s.coalesced())
        .write("auth_failures", s.authFailures());
    if (s.latency() == null) {
      g.writeNull("latency_ms");
    } else {
      g.writeStartObject("latency_ms")
          .write("p50", millis(s.latency()[0]))
          .write("p95", millis(s.latency()[1]))
          .write("p99", millis(s.latency()[2]))
          .write("max", millis(s.latency()[3]))
          .writeEnd();
    }
    g.write("connections", s.connections()).write("queue_depth", s.queueDepth()).writeEnd();
  }

  private static void writeByType(JsonGenerator g, String name, long[] byType) {
    g.writeStartObject(name);
    for (int i = 0; i < TYPES.size(); i++) {
      g.write(TYPES.get(i), byType[i]);
    }
    g.writeEnd();
  }

  /** Sums each sample's busiest streams of one kind over the window. */
  private static List<TrafficWindow.StreamCount> busiest(
      Iterable<OpsSample> window, boolean sessions) {
    Map<String, Long> sums = new HashMap<>();
    for (OpsSample s : window) {
      for (TrafficWindow.StreamCount c : sessions ? s.sessions() : s.tasks()) {
        sums.merge(c.key(), c.messages(), Long::sum);
      }
    }
    List<TrafficWindow.StreamCount> all = new ArrayList<>(sums.size());
    sums.forEach((key, messages) -> all.add(new TrafficWindow.StreamCount(key, messages)));
    return TrafficWindow.busiest(all, BUSIEST);
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 1000.0) / 1000.0;
  }

  private static long[] counts(java.util.function.ToLongFunction<String> byType) {
    long[] counts = new long[TYPES.size()];
    for (int i = 0; i < TYPES.size(); i++) {
      counts[i] = byType.applyAsLong(TYPES.get(i));
    }
    return counts;
  }

  private static long[] minus(long[] now, long[] before) {
    long[] delta = new long[now.length];
    for (int i = 0; i < now.length; i++) {
      delta[i] = now[i] - before[i];
    }
    return delta;
  }
}
