package dev.statusmessenger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What an operator sees on a real Payara Micro: MicroProfile Health says live and ready, the
 * metrics on {@code /metrics} move as messages flow through real sockets, and {@code /openapi}
 * describes every endpoint of the HTTP API with examples.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OperationsIT {

  static final String PRODUCER_KEY = SessionMessagingIT.PRODUCER_KEY;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.product();
  }

  @ArquillianResource URL base;

  @BeforeEach
  void overLoopback() {
    base = Deployments.loopback(base);
  }

  /** The platform serves health, metrics and OpenAPI at the server's root, beside the WAR. */
  private Http server() {
    try {
      return new Http(new URL(base, "/"));
    } catch (MalformedURLException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void liveAndReadyOnceTheDispatcherRuns() {
    HttpResponse<String> live = server().get("health/live", null);
    assertEquals(200, live.statusCode(), live.body());
    assertEquals("UP", Http.json(live).getString("status"), live.body());
    assertTrue(live.body().contains("\"status-messenger\""), live.body());

    HttpResponse<String> ready = server().get("health/ready", null);
    assertEquals(200, ready.statusCode(), ready.body());
    JsonObject answer = Http.json(ready);
    assertEquals("UP", answer.getString("status"), ready.body());
    JsonObject check =
        answer.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
            .filter(c -> "status-messenger".equals(c.getString("name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no status-messenger check: " + ready.body()));
    assertEquals("running", check.getJsonObject("data").getString("dispatcher"), ready.body());
  }

  @Test
  void metricsCountMessagesConnectionsAndRefusals() {
    Metrics before = metrics();
    assertTrue(before.has("status_messenger_connections"), "gauges are registered at start");
    assertTrue(before.has("status_messenger_dispatch_queue_depth"));

    Http http = new Http(base);
    Http.Session s = http.createSession();
    try (TestSocket socket = TestSocket.ready(base, s.id(), s.token())) {
      for (int i = 1; i <= 3; i++) {
        assertEquals(202, postStatus(http, s.id(), "step " + i).statusCode());
      }
      assertEquals(
          202,
          http.post(
                  "api/v1/sessions/" + s.id() + "/events",
                  "{\"event_type\":\"progress\",\"data\":{\"pct\":40}}",
                  PRODUCER_KEY)
              .statusCode());
      List<JsonObject> frames = socket.take(1, "event");
      assertEquals("progress", frames.get(0).getString("event_type"));

      assertEquals(403, postStatus(http, s.id(), "refused", "not-a-key").statusCode());
      try (TestSocket intruder = TestSocket.open(base, s.id())) {
        intruder.auth(s.id() + ".0.forged", null, false);
        assertEquals(1008, intruder.awaitClose());
      }

      Metrics after = metrics();
      assertEquals(3, after.delta(before, "status_messenger_messages_in_total", "type=\"status\""));
      assertEquals(1, after.delta(before, "status_messenger_messages_in_total", "type=\"event\""));
      assertTrue(
          after.delta(before, "status_messenger_messages_out_total", "type=\"status\"") >= 1,
          "statuses were sent (some may have coalesced)");
      assertEquals(1, after.delta(before, "status_messenger_messages_out_total", "type=\"event\""));
      assertTrue(after.value("status_messenger_connections", "") >= 1, "the open socket counts");
      assertTrue(after.value("status_messenger_sessions", "") >= 1);
      assertEquals(1, after.delta(before, "status_messenger_auth_failures_total", "channel=\"http\""));
      assertEquals(1, after.delta(before, "status_messenger_auth_failures_total", "channel=\"socket\""));
      String latencyCount =
          after.has("status_messenger_delivery_latency_seconds_count")
              ? "status_messenger_delivery_latency_seconds_count"
              : "status_messenger_delivery_latency_count";
      assertTrue(
          after.delta(before, latencyCount, "") >= 2,
          "every frame sent records its latency");
      assertTrue(after.has("status_messenger_frames_coalesced_total"));
      assertTrue(after.has("status_messenger_frames_dropped_total"));
    }
  }

  @Test
  void theOperatorSocketRefusesAnythingButAProducerKey() {
    Http http = new Http(base);
    Http.Session s = http.createSession();
    assertRefusal("auth without a token", 1, socket -> socket.send("{\"type\":\"auth\"}"));
    assertRefusal("a wrong key", 1, socket -> socket.auth("not-a-producer-key", null, false));
    assertRefusal(
        "a session token opens its session, not the ops feed", 1, socket -> socket.auth(s.token(), null, false));
    assertRefusal("a first message that is not auth", 1, socket -> socket.send("{\"type\":\"ping\"}"));
    // refused as malformed, not as a credential: not counted
    assertRefusal("garbage before auth", 0, socket -> socket.send("\u0000{not json"));
    assertRefusal("silence past the auth timeout", 1, socket -> {});
  }

  /** An operator socket that says this is closed with 1008, and the socket auth failures count it. */
  private void assertRefusal(String what, int counted, java.util.function.Consumer<TestSocket> says) {
    Metrics before = metrics();
    try (TestSocket socket = openOperator()) {
      says.accept(socket);
      assertEquals(1008, socket.awaitClose(), what);
    }
    assertEquals(
        counted, metrics().delta(before, "status_messenger_auth_failures_total", "channel=\"socket\""),
        "auth failures counted for " + what);
  }

  @Test
  void theOperatorSocketStreamsSnapshotsThatCountTheTrafficProduced() {
    Http http = new Http(base);
    Http.Session s = http.createSession();
    String task = http.createTask("<img src=x onerror=alert(1)> nightly import", null, s.id(), PRODUCER_KEY);
    try (TestSocket ops = openOperator();
        TestSocket page = TestSocket.ready(base, s.id(), s.token())) {
      ops.auth(PRODUCER_KEY, null, false);
      JsonObject ready = ops.next();
      assertEquals("ready", ready.getString("type"), ready.toString());
      assertEquals("live", ready.getString("ops"), ready.toString());
      JsonObject greeting = ops.nextOfType("ops");
      assertTrue(greeting.getJsonObject("now").getInt("operators") >= 1, greeting.toString());
      assertEquals(300, greeting.getInt("window_s"));
      JsonObject totalsBefore = greeting.getJsonObject("totals");

      for (int n = 1; n <= 7; n++) {
        assertEquals(
            202,
            http.post("api/v1/sessions/" + s.id() + "/events", "{\"event_type\":\"n\",\"data\":{\"n\":" + n + "}}",
                    PRODUCER_KEY)
                .statusCode());
      }
      assertEquals(
          202,
          http.post("api/v1/tasks/" + task + "/logs",
                  "[{\"level\":\"info\",\"message\":\"a\"},{\"level\":\"info\",\"message\":\"b\"},"
                      + "{\"level\":\"error\",\"message\":\"c\"}]",
                  PRODUCER_KEY)
              .statusCode());
      assertEquals(7, page.take(7, "event").size());

      // snapshots come every second; within a bounded number of them the traffic shows
      long eventsOutInSamples = 0;
      JsonObject session = null;
      JsonObject taskRow = null;
      JsonObject last = greeting;
      for (int i = 0;
          i < 15 && (messages(session) < 7 || messages(taskRow) < 3 || eventsOutInSamples < 7);
          i++) {
        last = ops.nextOfType("ops");
        for (JsonObject sample : last.getJsonArray("samples").getValuesAs(JsonObject.class)) {
          eventsOutInSamples += sample.getJsonObject("out").getJsonNumber("event").longValue();
        }
        session = row(last, "sessions", s.id());
        taskRow = row(last, "tasks", task);
      }
      assertTrue(session != null, "the session is among the busiest: " + last);
      assertEquals(7, session.getInt("messages"), session.toString());
      assertEquals(1, session.getInt("sockets"), session.toString());
      assertTrue(taskRow != null, "the task is among the busiest: " + last);
      assertEquals(3, taskRow.getInt("lines"), taskRow.toString());
      assertEquals("<img src=x onerror=alert(1)> nightly import", taskRow.getString("description"));
      assertTrue(eventsOutInSamples >= 7, "the samples count the events sent: " + eventsOutInSamples);
      JsonObject totals = last.getJsonObject("totals");
      assertEquals(7, totals.getJsonObject("in").getJsonNumber("event").longValue()
          - totalsBefore.getJsonObject("in").getJsonNumber("event").longValue());
      assertEquals(3, totals.getJsonObject("in").getJsonNumber("log").longValue()
          - totalsBefore.getJsonObject("in").getJsonNumber("log").longValue());
      assertTrue(last.getJsonObject("now").getInt("connections") >= 1);
      assertTrue(last.getJsonObject("now").getInt("tasks") >= 1);
      assertTrue(
          last.getJsonArray("samples").getValuesAs(JsonObject.class).stream()
              .allMatch(x -> x.containsKey("latency_ms") && x.containsKey("queue_depth")),
          last.toString());

      // the operator socket only reads: bad input gets error frames, and the feed goes on
      ops.send("{not json");
      assertEquals("invalid_json", ops.nextOfType("error").getString("code"));
      ops.send("{\"type\":\"subscribe\",\"task\":\"" + task + "\"}");
      JsonObject refused = ops.nextOfType("error");
      assertEquals("unknown_type", refused.getString("code"), refused.toString());
      ops.sendBinary(new byte[] {1, 2, 3});
      assertEquals("invalid_message", ops.nextOfType("error").getString("code"));
      ops.send("{\"type\":\"ping\"}");
      ops.nextOfType("pong");
      ops.nextOfType("ops");
      assertEquals(null, ops.closeCodeIfClosed(), "the operator socket stays open");
    }
  }

  @Test
  void theOperatorPageIsServedAtOpsWithAndWithoutASlash() {
    HttpResponse<String> page = new Http(base).get("ops/", null);
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("ops.js"), page.body());
    HttpResponse<String> bare = new Http(base).get("ops", null);
    assertTrue(
        bare.statusCode() == 200 && bare.body().contains("ops.js")
            || bare.statusCode() / 100 == 3 && bare.headers().firstValue("Location").orElse("").endsWith("/ops/"),
        bare.statusCode() + " " + bare.headers().map());
  }

  private TestSocket openOperator() {
    return TestSocket.open(TestSocket.wsUri(base, "ws/ops/live"), null);
  }

  /** The count of a busiest row (messages of a session, lines of a task); -1 where no row. */
  private static long messages(JsonObject row) {
    if (row == null) {
      return -1;
    }
    return row.getJsonNumber(row.containsKey("lines") ? "lines" : "messages").longValue();
  }

    /** The row of a busiest table with this id, or null. */
  private static JsonObject row(JsonObject ops, String table, String id) {
    return ops.getJsonObject("busiest").getJsonArray(table).getValuesAs(JsonObject.class).stream()
        .filter(r -> id.equals(r.getString("id")))
        .findFirst()
        .orElse(null);
  }

  @Test
  void openApiDescribesEveryEndpointWithExamples() {
    HttpResponse<String> r = server().get("openapi", null);
    assertEquals(200, r.statusCode());
    String doc = r.body();
    for (String path :
        List.of(
            "/sessions:",
            "/sessions/{session}/status:",
            "/sessions/{session}/events:",
            "/sessions/{session}/messages:",
            "/tasks:",
            "/tasks/{task}:",
            "/tasks/{task}/logs:",
            "/publish:",
            "/demo/agent:")) {
      assertTrue(doc.contains(path), "the document lists " + path);
    }
    assertTrue(doc.contains("Step 2 of 5: parsing"), "request examples are there");
    assertTrue(doc.contains("tool_interaction"), "event example is there");
    assertTrue(doc.contains("report_ready"), "the bulk publish example is there");
    assertTrue(doc.contains("bearer"), "the security scheme is there");
  }

  private static HttpResponse<String> postStatus(Http http, String session, String text) {
    return postStatus(http, session, text, PRODUCER_KEY);
  }

  private static HttpResponse<String> postStatus(Http http, String session, String text, String key) {
    return http.post("api/v1/sessions/" + session + "/status", "{\"message\":\"" + text + "\"}", key);
  }

  private Metrics metrics() {
    return Metrics.of(base);
  }
}
