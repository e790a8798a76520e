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
            "/demo/agent:")) {
      assertTrue(doc.contains(path), "the document lists " + path);
    }
    assertTrue(doc.contains("Step 2 of 5: parsing"), "request examples are there");
    assertTrue(doc.contains("tool_interaction"), "event example is there");
    assertTrue(doc.contains("bearer"), "the security scheme is there");
  }

  private static HttpResponse<String> postStatus(Http http, String session, String text) {
    return postStatus(http, session, text, PRODUCER_KEY);
  }

  private static HttpResponse<String> postStatus(Http http, String session, String text, String key) {
    return http.post("api/v1/sessions/" + session + "/status", "{\"message\":\"" + text + "\"}", key);
  }

  private Metrics metrics() {
    HttpResponse<String> r = server().get("metrics?scope=application", null);
    assertEquals(200, r.statusCode(), "GET /metrics");
    return new Metrics(r.body());
  }

  /** The Prometheus text the platform serves: sums of samples by name and label. */
  record Metrics(String text) {

    boolean has(String name) {
      return text.lines().anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " "));
    }

    double value(String name, String label) {
      double sum = 0;
      boolean found = false;
      for (String line : text.lines().toList()) {
        if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
          continue;
        }
        if (!line.contains(label)) {
          continue;
        }
        String[] parts = line.trim().split("\\s+");
        sum += Double.parseDouble(parts[parts.length - 1]);
        found = true;
      }
      if (!found) {
        throw new AssertionError("no sample " + name + " " + label + " in:\n" + excerpt());
      }
      return sum;
    }

    long delta(Metrics before, String name, String label) {
      return Math.round(value(name, label) - before.valueOrZero(name, label));
    }

    private double valueOrZero(String name, String label) {
      return has(name) && text.contains(label) ? value(name, label) : 0;
    }

    private String excerpt() {
      return text.lines().filter(l -> l.contains("status_messenger")).limit(40)
          .reduce("", (a, b) -> a + b + "\n");
    }
  }
}
