package dev.statusmessenger.pubsub;

import dev.statusmessenger.config.ConfigKeys;
import dev.statusmessenger.config.MessengerConfig;
import dev.statusmessenger.config.PlatformResources;
import dev.statusmessenger.dispatch.EventExport;
import dev.statusmessenger.stream.Message;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Sends every event a session accepts to a Google Cloud Pub/Sub topic, when {@code
 * STATUS_MESSENGER_PUBSUB_ENABLED=true}. The producer's thread only offers the message to the
 * {@link EventExporter}'s bounded queue. The Google client is loaded by class name at start, so the
 * default WAR, which does not carry it, deploys and serves without it; enabled without it, the node
 * says once how to get it and serves on. Counts go to {@code /metrics}; the state is in the {@code
 * status-messenger-pubsub} readiness check, which never makes the node unready.
 */
@ApplicationScoped
public class PubSubExport implements EventExport {

  /** The adapter to Google's client, in the WAR only when built with {@code -Ppubsub}. */
  static final String GOOGLE_CLIENT = "dev.statusmessenger.pubsub.google.GoogleTopicClient";
  static final String HEALTH_NAME = "status-messenger-pubsub";

  static final String PUBLISHED = "status_messenger_pubsub_published";
  static final String RETRIES = "status_messenger_pubsub_retries";
  static final String FAILED = "status_messenger_pubsub_failed";
  static final String DROPPED = "status_messenger_pubsub_dropped";
  static final String QUEUE_DEPTH = "status_messenger_pubsub_queue_depth";

  private static final Logger LOG = Logger.getLogger(PubSubExport.class.getName());

  @Inject MessengerConfig config;
  @Inject MetricRegistry registry;

  /** The adapter's class name; tests name a missing one. */
  String clientClass = GOOGLE_CLIENT;

  private volatile EventExporter exporter; // null while the export is off
  private volatile String state = "off";

  void start(@Observes @Initialized(ApplicationScoped.class) Object application) {
    MessengerConfig.PubSub settings = config.pubSub();
    if (!settings.enabled()) {
      return;
    }
    if (settings.project().isEmpty() || settings.topicId().isEmpty()) {
      state = "misconfigured";
      LOG.severe(
          "Pub/Sub export is enabled but " + (settings.project().isEmpty() ? ConfigKeys.GOOGLE_CLOUD_PROJECT
              : "STATUS_MESSENGER_PUBSUB_TOPIC_ID") + " is not set: events are not exported");
      return;
    }
    TopicClient client = load(settings);
    if (client == null) {
      return;
    }
    EventExporter started =
        new EventExporter(
            client,
            new EventExporter.Policy(settings.queueSize(), settings.maxAttempts(), settings.retryBackoff()),
            metrics(),
            threads());
    started.start();
    exporter = started;
    state = "on";
    LOG.info(
        () -> "Pub/Sub export on: topic " + settings.topicId().get() + " of project " + settings.project().get()
            + settings.emulatorHost().map(h -> " through the emulator at " + h).orElse(""));
  }

  void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object application) {
    EventExporter running = exporter;
    if (running != null) {
      exporter = null;
      state = "stopped";
      running.stop(config.shutdownFlushTimeout());
    }
  }

  /** The running exporter, or null while the export is off. */
  EventExporter exporter() {
    return exporter;
  }

  /** {@code off}, {@code on}, {@code stopped}, or why it could not start. */
  String state() {
    return state;
  }

  @Override
  public void accepted(Message message) {
    EventExporter running = exporter;
    if (running != null) {
      running.offer(message);
    }
  }

  /** The export's state and counts, for operators; always UP: a topic that is down is not the node's fault. */
  @Produces
  @Readiness
  HealthCheck health() {
    return () -> {
      EventExporter running = exporter;
      var answer = HealthCheckResponse.named(HEALTH_NAME).up().withData("state", state);
      if (running != null) {
        answer.withData("published", running.published())
            .withData("failed", running.failed())
            .withData("dropped", running.dropped())
            .withData("queued", running.queued());
      }
      return answer.build();
    };
  }

  private TopicClient load(MessengerConfig.PubSub settings) {
    try {
      return (TopicClient)
          Class.forName(clientClass, true, PubSubExport.class.getClassLoader())
              .getConstructor(String.class, String.class, String.class, Duration.class)
              .newInstance(
                  settings.project().get(), settings.topicId().get(),
                  settings.emulatorHost().orElse(null), settings.publishTimeout());
    } catch (ClassNotFoundException | LinkageError absent) {
      state = "client library missing";
      LOG.severe(
          "Pub/Sub export is enabled but this WAR does not carry the Google Cloud Pub/Sub client: build it"
              + " with `mvn -Ppubsub package` (see docs/pubsub.md). Events are not exported; everything"
              + " else is served.");
    } catch (InvocationTargetException e) {
      state = "client failed to start";
      LOG.log(Level.SEVERE, "Pub/Sub export could not start its client: events are not exported", e.getCause());
    } catch (ReflectiveOperationException | RuntimeException e) {
      state = "client failed to start";
      LOG.log(Level.SEVERE, "Pub/Sub export could not start its client: events are not exported", e);
    }
    return null;
  }

  private EventExporter.Listener metrics() {
    if (registry == null) {
      return EventExporter.Listener.NONE; // tests without a container
    }
    Counter published = counter(PUBLISHED, "Events the Pub/Sub topic accepted");
    Counter retries = counter(RETRIES, "Pub/Sub publish attempts made again after a failure");
    Counter failed = counter(FAILED, "Events given up after the last attempt or a failure retrying cannot mend");
    Counter dropped = counter(DROPPED, "Events not exported because the export queue was full or stopping");
    registry.gauge(
        Metadata.builder().withName(QUEUE_DEPTH).withDescription("Events waiting for export to Pub/Sub").build(),
        this, export -> {
          EventExporter running = export.exporter;
          return running == null ? 0 : running.queued();
        });
    return new EventExporter.Listener() {
      @Override
      public void published() {
        published.inc();
      }

      @Override
      public void retried() {
        retries.inc();
      }

      @Override
      public void failed() {
        failed.inc();
      }

      @Override
      public void dropped() {
        dropped.inc();
      }
    };
  }

  private Counter counter(String name, String description) {
    return registry.counter(Metadata.builder().withName(name).withDescription(description).build());
  }

  private static ThreadFactory threads() {
    try {
      return PlatformResources.threadFactory();
    } catch (IllegalStateException noPlatform) {
      return Thread::new;
    }
  }
}
