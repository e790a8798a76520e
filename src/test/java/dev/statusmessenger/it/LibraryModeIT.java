package dev.statusmessenger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statusmessenger.it.host.HostApplication;
import jakarta.json.JsonObject;
import java.net.URL;
import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Library mode on a real Payara Micro: a sample host application (its own JAX-RS application,
 * resource and CDI agent bean) with only the library jar added gets the socket, the HTTP API, the
 * JavaScript client and {@code @Inject StatusMessenger}; and its agent's messages follow its JTA
 * transactions: delivered after commit, never after rollback, at once outside a transaction.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LibraryModeIT {

  static final String PRODUCER_KEY = SessionMessagingIT.PRODUCER_KEY;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.hostWithLibrary(HostApplication.class.getPackage());
  }

  @ArquillianResource URL deployed;

  @BeforeEach
  void overLoopback() {
    deployed = Deployments.loopback(deployed);
  }
  URL base;

  /** Payara Micro serves a WAR at its name; the URL Arquillian reports may lack that path. */
  @BeforeEach
  void baseUrl() throws java.net.MalformedURLException {
    base = new URL(deployed, "/" + Deployments.SAMPLE_HOST + "/");
  }

  private Http http() {
    return new Http(base);
  }

  private JsonObject trip(String session, String action, String text) {
    HttpResponse<String> r = http().post("host/trips/" + session + "/" + action, text, null);
    assertEquals(200, r.statusCode(), action + ": " + r.body());
    return Http.json(r);
  }

  @Test
  void hostServesTheClientAndTheApiButNotTheDemo() {
    HttpResponse<String> js = http().get("status-messenger.js", null);
    assertEquals(200, js.statusCode());
    assertTrue(js.body().contains("startStatusUpdates"), "the JavaScript client");
    assertEquals(201, http().post("api/v1/sessions", "", null).statusCode());
    HttpResponse<String> demo = http().post("api/v1/demo/agent", "", null);
    assertEquals(404, demo.statusCode(), "the demo stays out of the library: " + demo.body());
  }

  @Test
  void hostAgentStatusReachesTheSocketAtOnceOutsideATransaction() {
    Http.Session s = http().createSession();
    try (TestSocket socket = TestSocket.ready(base, s.id(), s.token())) {
      assertTrue(trip(s.id(), "now", "Searching flights").getBoolean("visible_at_once"));
      JsonObject status = socket.nextOfType("status");
      assertEquals("Searching flights", status.getString("data"));
      assertEquals(1, status.getInt("seq"));
    }
  }

  @Test
  void messagesOfACommittedTransactionArriveOnlyAfterTheCommit() {
    Http.Session s = http().createSession();
    try (TestSocket socket = TestSocket.ready(base, s.id(), s.token())) {
      JsonObject answer = trip(s.id(), "commit", "Booked seat 12A");
      assertFalse(
          answer.getBoolean("visible_before_commit"),
          "inside the transaction the message is not yet in the stream");
      JsonObject status = socket.nextOfType("status");
      assertEquals("Booked seat 12A", status.getString("data"));
      assertEquals(1, status.getInt("seq"), "seq is assigned at the commit");
      JsonObject event = socket.nextOfType("event");
      assertEquals("trip_planned", event.getString("event_type"));
      assertEquals(2, event.getInt("seq"));
      JsonObject bulk = socket.nextOfType("event");
      assertEquals("trip_published", bulk.getString("event_type"), "a bulk publish waits for the commit too");
      assertEquals(3, bulk.getInt("seq"));
    }
  }

  @Test
  void messagesOfARolledBackTransactionNeverArrive() {
    Http.Session s = http().createSession();
    try (TestSocket socket = TestSocket.ready(base, s.id(), s.token())) {
      assertTrue(trip(s.id(), "rollback", "Booked seat 13C").getBoolean("rolled_back"));
      HttpResponse<String> marker =
          http().post(
              "api/v1/sessions/" + s.id() + "/status", "{\"message\":\"after the rollback\"}",
              PRODUCER_KEY);
      assertEquals(202, marker.statusCode());
      assertEquals(1, Http.json(marker).getInt("seq"), "the rolled back status took no seq");
      JsonObject status = socket.nextOfType("status");
      assertEquals("after the rollback", status.getString("data"), "nothing came before it");
      HttpResponse<String> history = http().get("api/v1/sessions/" + s.id() + "/messages", s.token());
      assertFalse(history.body().contains("13C"), history.body());
    }
  }
}
