package dev.statusmessenger.pubsub;

import static dev.statusmessenger.pubsub.FakePubSub.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.pubsub.v1.PublishRequest;
import com.google.pubsub.v1.PubsubMessage;
import dev.statusmessenger.LogLevel;
import dev.statusmessenger.config.ConfigKeys;
import dev.statusmessenger.config.MessengerConfig;
import dev.statusmessenger.dispatch.Dispatcher;
import dev.statusmessenger.dispatch.PublisherAccess;
import dev.statusmessenger.pubsub.FakePubSub.Answer;
import dev.statusmessenger.pubsub.google.GoogleTopicClient;
import dev.statusmessenger.stream.Message;
import dev.statusmessenger.stream.MessageDraft;
import dev.statusmessenger.stream.StreamStore;
import io.grpc.Status;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Pub/Sub export end to end without a container: producers publish through the real {@code
 * Publisher}, the export uses Google's real client, and the topic is {@link FakePubSub}, a gRPC
 * server implementing the official Publisher service on loopback, reached through {@code
 * PUBSUB_EMULATOR_HOST}. It checks the exact messages the client sends, and the failure paths.
 */
class PubSubExportTest {

  private static final String TOPIC = "projects/test-project/topics/agent-events";

  private FakePubSub topic;
  private PubSubExport export;
  private dev.statusmessenger.dispatch.Publisher publisher;
  private final List<LogRecord> logs = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      logs.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void startTopic() throws Exception {
    topic = new FakePubSub();
    Logger.getLogger("dev.statusmessenger.pubsub").addHandler(capture);
  }

  @AfterEach
  void stop() throws Exception {
    if (export != null) {
      export.stop(null);
    }
    topic.close();
    Logger.getLogger("dev.statusmessenger.pubsub").removeHandler(capture);
  }

  /** Starts the export as the container would, with these settings over the test's defaults. */
  private PubSubExport start(Map<String, String> settings) {
    Map<String, String> values = new HashMap<>();
    values.put("status-messenger.pubsub-enabled", "true");
    values.put("GOOGLE_CLOUD_PROJECT", "test-project");
    values.put("status-messenger.pubsub-topic-id", "agent-events");
    values.put("PUBSUB_EMULATOR_HOST", topic.host());
    values.put("status-messenger.pubsub-retry-backoff", "20ms");
    values.put("status-messenger.shutdown-flush-timeout", "1s");
    values.putAll(settings);
    MessengerConfig config = MessengerConfig.of(values);
    export = new PubSubExport();
    export.config = config;
    export.start(null);
    publisher = PublisherAccess.publisher(config, new StreamStore(config), new Dispatcher(1, 100_000), export);
    return export;
  }

  @Test
  void eachEventReachesTheTopicAsTheOriginalJsonAndNothingElseDoes() throws Exception {
    start(Map.of());
    assertEquals("on", export.state());
    publisher.status("s-1", "Searching flights…");
    Message first = publisher.event("s-1", "tool_interaction", Map.of("tool", "calculator", "output", "4"));
    Message second = publisher.event("s-2", "ünïcode ✓", Map.of("nested", Map.of("list", List.of(1, 2))));
    Message third = publisher.event("s-1", "done", (Map<String, ?>) null);
    export.accepted(new MessageDraft.Log("t-1", LogLevel.INFO, "a log line", JsonValue.EMPTY_JSON_OBJECT)
        .seal("task:t-1", 1, Instant.now()));

    await("three events published", () -> export.exporter().published() == 3);
    List<PubsubMessage> sent = new ArrayList<>();
    for (PublishRequest request : topic.requests()) {
      assertEquals(TOPIC, request.getTopic());
      sent.addAll(request.getMessagesList());
    }
    assertEquals(3, sent.size(), "only the events, each once");
    // without an ordering key, concurrent batches may arrive in any order: the seq attribute orders them
    Map<String, PubsubMessage> byType = new HashMap<>();
    sent.forEach(m -> byType.put(m.getAttributesOrThrow("event_type"), m));
    assertExported(byType.get("tool_interaction"), first, "s-1", "tool_interaction",
        Json.createObjectBuilder().add("tool", "calculator").add("output", "4").build());
    assertExported(byType.get("ünïcode ✓"), second, "s-2", "ünïcode ✓",
        Json.createObjectBuilder().add("nested", Json.createObjectBuilder()
            .add("list", Json.createArrayBuilder().add(1).add(2))).build());
    assertExported(byType.get("done"), third, "s-1", "done", JsonValue.EMPTY_JSON_OBJECT);
    assertEquals(0, export.exporter().retries());
    assertEquals(0, export.exporter().failed());
    assertEquals(0, export.exporter().dropped());
  }

  private static void assertExported(
      PubsubMessage sent, Message accepted, String session, String eventType, JsonObject data) {
    JsonObject json;
    try (var reader = Json.createReader(new StringReader(sent.getData().toString(StandardCharsets.UTF_8)))) {
      json = reader.readObject();
    }
    JsonObject expected = Json.createObjectBuilder()
        .add("websocket_session_id", session)
        .add("event_type", eventType)
        .add("timestamp", accepted.ts().toString())
        .add("data", data)
        .build();
    assertEquals(expected, json);
    assertEquals(List.of("websocket_session_id", "event_type", "timestamp", "data"), List.copyOf(json.keySet()));
    assertEquals(
        Map.of("event_type", eventType, "websocket_session_id", session, "seq", Long.toString(accepted.seq())),
        sent.getAttributesMap());
    assertEquals("", sent.getOrderingKey(), "no ordering key: see docs/pubsub.md");
  }

  @Test
  void unavailableIsRetriedWithBackoffUntilTheTopicAcceptsTheEvent() throws Exception {
    topic.then(Answer.fail(Status.Code.UNAVAILABLE), Answer.fail(Status.Code.UNAVAILABLE));
    start(Map.of());
    publisher.event("s-1", "progress", Map.of("pct", 40));

    await("the event published", () -> export.exporter().published() == 1);
    List<PublishRequest> requests = topic.requests();
    assertEquals(3, requests.size(), "two failed attempts, the client retrying none itself, then one accepted");
    assertEquals(requests.get(0), requests.get(2), "the same message each time");
    assertEquals(2, export.exporter().retries());
    assertEquals(0, export.exporter().failed());
  }

  @Test
  void aCallPastItsDeadlineIsRetried() throws Exception {
    topic.then(Answer.HOLD);
    start(Map.of("status-messenger.pubsub-publish-timeout", "300ms"));
    publisher.event("s-1", "progress", Map.of("pct", 40));

    await("the event published", () -> export.exporter().published() == 1);
    assertEquals(1, export.exporter().retries(), "the held call timed out once");
    assertEquals(2, topic.requests().size());
  }

  @Test
  void aSlowTopicNeverHoldsUpTheProducer() throws Exception {
    topic.otherwise(Answer.HOLD);
    start(Map.of("status-messenger.pubsub-publish-timeout", "60s"));
    for (int i = 0; i < 200; i++) {
      publisher.event("s-" + (i % 7), "progress", Map.of("i", i)); // returns though no call is answered
    }
    await("the topic holding calls", () -> topic.held() > 0);
    assertEquals(0, export.exporter().published(), "every producer call returned before any answer");

    topic.otherwise(Answer.OK);
    await("all published", () -> {
      topic.release(); // again each round: a call may have been held just as the answer changed
      return export.exporter().published() == 200;
    });
    assertEquals(0, export.exporter().failed());
    assertEquals(0, export.exporter().dropped());
  }

  @Test
  void aTopicThatKeepsFailingHasTheEventGivenUpAfterTheLastAttemptCountedAndLoggedWithoutContents()
      throws Exception {
    topic.otherwise(Answer.fail(Status.Code.UNAVAILABLE));
    start(Map.of("status-messenger.pubsub-max-attempts", "3"));
    publisher.event("s-1", "secret_kind", Map.of("card", "secret-content-4111"));

    await("the event given up", () -> export.exporter().failed() == 1);
    assertEquals(3, topic.requests().size(), "exactly the bound");
    assertEquals(2, export.exporter().retries());
    assertEquals(0, export.exporter().published());
    await("the warning", () -> logs.stream().anyMatch(r -> r.getLevel() == Level.WARNING));
    LogRecord warning = logs.stream().filter(r -> r.getLevel() == Level.WARNING).findFirst().orElseThrow();
    String line = new java.util.logging.SimpleFormatter().format(warning);
    assertTrue(line.contains("after 3 attempt(s), last error UNAVAILABLE"), line);
    for (LogRecord record : logs) {
      String text = new java.util.logging.SimpleFormatter().format(record);
      assertFalse(text.contains("secret-content-4111") || text.contains("secret_kind"), text);
    }
  }

  @Test
  void aFailureRetryingCannotMendIsNotRetried() throws Exception {
    topic.otherwise(Answer.fail(Status.Code.PERMISSION_DENIED));
    start(Map.of());
    publisher.event("s-1", "progress", Map.of());

    await("the event given up", () -> export.exporter().failed() == 1);
    assertEquals(1, topic.requests().size());
    assertEquals(0, export.exporter().retries());
    await("the warning", () -> logs.stream().anyMatch(r -> r.getMessage().contains("PERMISSION_DENIED (not retryable)")));
  }

  @Test
  void aFullQueueDropsNewEventsAndCountsThemWithoutTroublingTheProducer() throws Exception {
    topic.otherwise(Answer.HOLD);
    EventExporter exporter = new EventExporter(
        new GoogleTopicClient("test-project", "agent-events", topic.host(), Duration.ofSeconds(60)),
        new EventExporter.Policy(2, 1, Duration.ofMillis(20), 1),
        EventExporter.Listener.NONE,
        Thread::new);
    exporter.start();
    try {
      assertTrue(exporter.offer(event(1)));
      await("the first event in flight", () -> topic.held() == 1);
      assertTrue(exporter.offer(event(2)));
      await("the sender holding the second, waiting for room in flight", () -> exporter.queued() == 0);
      assertTrue(exporter.offer(event(3)));
      assertTrue(exporter.offer(event(4)));
      for (int i = 5; i <= 10; i++) {
        assertFalse(exporter.offer(event(i)), "queue full: dropped");
      }
      assertEquals(6, exporter.dropped());
      assertTrue(logs.stream().anyMatch(r -> r.getMessage().contains("new events are dropped (1 so far)")));

      topic.otherwise(Answer.OK);
      await("the four queued published", () -> {
        topic.release();
        return exporter.published() == 4;
      });
    } finally {
      exporter.stop(Duration.ofSeconds(1));
    }
    assertEquals(6, exporter.dropped());
  }

  @Test
  void enabledWithoutTheClientLibraryServesOnAndSaysHowToGetIt() {
    export = new PubSubExport();
    export.clientClass = "dev.statusmessenger.pubsub.google.NotInThisWar";
    export.config = MessengerConfig.of(Map.of(
        "status-messenger.pubsub-enabled", "true",
        "GOOGLE_CLOUD_PROJECT", "test-project",
        "status-messenger.pubsub-topic-id", "agent-events"));
    export.start(null);

    assertEquals("client library missing", export.state());
    assertNull(export.exporter());
    export.accepted(event(1)); // nothing to do, nothing thrown
    LogRecord severe = logs.stream().filter(r -> r.getLevel() == Level.SEVERE).findFirst().orElseThrow();
    assertTrue(severe.getMessage().contains("mvn -Ppubsub package"), severe.getMessage());
  }

  @Test
  void enabledWithoutATopicSaysWhatIsMissing() {
    export = new PubSubExport();
    export.config = MessengerConfig.of(Map.of(
        "status-messenger.pubsub-enabled", "true", "GOOGLE_CLOUD_PROJECT", "test-project"));
    export.start(null);

    assertEquals("misconfigured", export.state());
    assertTrue(logs.stream().anyMatch(r -> r.getMessage().contains("STATUS_MESSENGER_PUBSUB_TOPIC_ID is not set")));
  }

  @Test
  void offByDefault() {
    export = new PubSubExport();
    export.config = MessengerConfig.of(Map.of("GOOGLE_CLOUD_PROJECT", "p", "status-messenger.pubsub-topic-id", "t"));
    export.start(null);

    assertEquals("off", export.state());
    assertNull(export.exporter());
    assertEquals(0, topic.requests().size());
  }

  @Test
  void settingsHaveTheIssuesNamesAndSafeDefaults() {
    assertEquals("STATUS_MESSENGER_PUBSUB_ENABLED", environmentName(ConfigKeys.PUBSUB_ENABLED));
    assertEquals("STATUS_MESSENGER_PUBSUB_TOPIC_ID", environmentName(ConfigKeys.PUBSUB_TOPIC_ID));
    MessengerConfig.PubSub defaults = MessengerConfig.of(Map.of()).pubSub();
    assertFalse(defaults.enabled());
    assertEquals(10_000, defaults.queueSize());
    assertEquals(5, defaults.maxAttempts());
    assertEquals(Duration.ofSeconds(10), defaults.publishTimeout());
    assertEquals(Duration.ofMillis(500), defaults.retryBackoff());
    assertTrue(defaults.project().isEmpty() && defaults.topicId().isEmpty() && defaults.emulatorHost().isEmpty());
    assertThrows(IllegalArgumentException.class,
        () -> MessengerConfig.of(Map.of(ConfigKeys.PUBSUB_MAX_ATTEMPTS, "0")));
  }

  /** The environment variable MicroProfile Config reads for a key. */
  private static String environmentName(String key) {
    return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
  }

  private static Message event(int n) {
    return new MessageDraft.Event("progress", Json.createObjectBuilder().add("n", n).build())
        .seal("s-1", n, Instant.now());
  }
}
