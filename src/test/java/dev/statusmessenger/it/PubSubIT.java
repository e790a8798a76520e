package dev.statusmessenger.it;

import static dev.statusmessenger.pubsub.FakePubSub.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.pubsub.v1.PublishRequest;
import com.google.pubsub.v1.PubsubMessage;
import dev.statusmessenger.pubsub.FakePubSub;
import dev.statusmessenger.pubsub.google.GoogleTopicClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.File;
import java.io.StringReader;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ArchivePath;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Pub/Sub export on a real Payara Micro: the built WAR plus Google's client and our adapter, as
 * {@code -Ppubsub} packages them, with the export switched on by the deployment's MicroProfile
 * Config and pointed through {@code PUBSUB_EMULATOR_HOST} at {@link FakePubSub} in this JVM. An
 * event posted over the HTTP API reaches the topic as the original JSON.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PubSubIT {

  private static FakePubSub topic;

  @Deployment(testable = false)
  static WebArchive deployment() throws Exception {
    topic = new FakePubSub();
    File lib = new File(System.getProperty("pubsub.lib", "target/pubsub-lib"));
    File[] jars = lib.listFiles((dir, name) -> name.endsWith(".jar"));
    if (jars == null || jars.length == 0) {
      throw new IllegalStateException("Copy the Pub/Sub client first (mvn verify does): " + lib);
    }
    String config = String.join("\n",
        "status-messenger.pubsub-enabled=true",
        "GOOGLE_CLOUD_PROJECT=it-project",
        "status-messenger.pubsub-topic-id=it-events",
        "PUBSUB_EMULATOR_HOST=" + topic.host(),
        "");
    return Deployments.product()
        .addPackage(GoogleTopicClient.class.getPackage())
        .addAsLibraries(jars)
        .addAsResource(new StringAsset(config), "META-INF/microprofile-config.properties");
  }

  @AfterAll
  static void stopTopic() throws InterruptedException {
    if (topic != null) {
      topic.close();
    }
  }

  @ArquillianResource URL base;

  /** The default build keeps the WAR lean: no library jars, and not the adapter to Google's client. */
  @Test
  void theDefaultWarCarriesNoGoogleCode() {
    assumeTrue("provided".equals(System.getProperty("pubsub.scope", "provided")), "built with -Ppubsub");
    WebArchive war = Deployments.product();
    List<String> google = war.getContent().keySet().stream()
        .map(ArchivePath::get)
        .filter(path -> path.startsWith("/WEB-INF/lib/") || path.contains("/pubsub/google/"))
        .toList();
    assertEquals(List.of(), google);
  }

  @Test
  void anEventPostedOverHttpReachesTheTopicAsTheOriginalJson() throws Exception {
    Http http = new Http(base);
    Http.Session s = http.createSession();
    HttpResponse<String> status =
        http.post("api/v1/sessions/" + s.id() + "/status", "{\"message\":\"not exported\"}",
            SessionMessagingIT.PRODUCER_KEY);
    assertEquals(202, status.statusCode(), status.body());
    HttpResponse<String> posted =
        http.post("api/v1/sessions/" + s.id() + "/events",
            "{\"event_type\":\"tool_interaction\",\"data\":{\"tool\":\"calculator\",\"output\":\"4\"}}",
            SessionMessagingIT.PRODUCER_KEY);
    assertEquals(202, posted.statusCode(), posted.body());

    await("the event on the topic", () -> !topic.requests().isEmpty());
    List<PubsubMessage> sent = new ArrayList<>();
    for (PublishRequest request : topic.requests()) {
      assertEquals("projects/it-project/topics/it-events", request.getTopic());
      sent.addAll(request.getMessagesList());
    }
    assertEquals(1, sent.size(), "the event, and not the status");
    JsonObject json;
    try (var reader = Json.createReader(new StringReader(sent.get(0).getData().toString(StandardCharsets.UTF_8)))) {
      json = reader.readObject();
    }
    assertEquals(s.id(), json.getString("websocket_session_id"));
    assertEquals("tool_interaction", json.getString("event_type"));
    assertEquals(Json.createObjectBuilder().add("tool", "calculator").add("output", "4").build(), json.getJsonObject("data"));
    assertTrue(json.getString("timestamp").endsWith("Z"), json.toString());
    assertEquals(Map.of("event_type", "tool_interaction", "websocket_session_id", s.id(), "seq", "2"),
        sent.get(0).getAttributesMap(), "the event is the session's second message, after the status");

    Http server = new Http(new URL(base, "/"));
    await("the count on /metrics", () -> server.get("metrics?scope=application", null).body()
        .lines().anyMatch(l -> l.startsWith("status_messenger_pubsub_published_total") && l.endsWith(" 1.0")));
    HttpResponse<String> ready = server.get("health/ready", null);
    assertEquals(200, ready.statusCode(), ready.body());
    JsonObject check = Http.json(ready).getJsonArray("checks").getValuesAs(JsonObject.class).stream()
        .filter(c -> "status-messenger-pubsub".equals(c.getString("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no status-messenger-pubsub check: " + ready.body()));
    assertEquals("on", check.getJsonObject("data").getString("state"), ready.body());
    assertEquals("1", check.getJsonObject("data").get("published").toString().replace("\"", ""), ready.body());
  }
}
