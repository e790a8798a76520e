package dev.statusmessenger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
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
 * The session socket and the HTTP API on a real Payara Micro, with real WebSocket clients: auth,
 * delivery to every connection in order, replay and resume, the Java API's current session, and
 * bad input answered clearly while the server keeps serving.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SessionMessagingIT {

  static final String PRODUCER_KEY = "it-producer-key";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.productWithProbes();
  }

  @ArquillianResource URL base;

  @BeforeEach
  void overLoopback() {
    base = Deployments.loopback(base);
  }

  private Http http() {
    return new Http(base);
  }

  private HttpResponse<String> postStatus(String session, String text) {
    return http().post("api/v1/sessions/" + session + "/status", "{\"message\":\"" + text + "\"}", PRODUCER_KEY);
  }

  private HttpResponse<String> postEvent(String session, String type, String data) {
    return http()
        .post(
            "api/v1/sessions/" + session + "/events",
            "{\"event_type\":\"" + type + "\",\"data\":" + data + "}",
            PRODUCER_KEY);
  }

  // --- sessions and auth ---

  @Test
  void createdSessionsHaveUnguessableIdsAndExpiringTokens() {
    HttpResponse<String> r = http().post("api/v1/sessions", "", null);
    assertEquals(201, r.statusCode());
    JsonObject body = Http.json(r);
    assertEquals(32, body.getString("session").length());
    assertTrue(body.getString("token").startsWith(body.getString("session") + "."));
    assertTrue(body.getString("expires_at").endsWith("Z"));
    assertNotEquals(body.getString("session"), http().createSession().id());
  }

  @Test
  void authenticatedSocketGetsReadyWithTheStreamPosition() {
    Http.Session s = http().createSession();
    postStatus(s.id(), "one");
    postStatus(s.id(), "two");
    try (TestSocket socket = TestSocket.open(base, s.id())) {
      socket.auth(s.token(), null, false);
      JsonObject ready = socket.next();
      assertEquals("ready", ready.getString("type"));
      assertEquals(s.id(), ready.getString("session"));
      assertEquals(2, ready.getInt("seq"));
      JsonObject current = socket.next();
      assertEquals("status", current.getString("type"), "a new connection first gets the current status");
      assertEquals("two", current.getString("data"));
    }
  }

  @Test
  void aWrongTokenClosesWith1008() {
    Http.Session s = http().createSession();
    try (TestSocket socket = TestSocket.open(base, s.id())) {
      socket.auth(s.token() + "x", null, false);
      assertEquals(1008, socket.awaitClose());
    }
  }

  @Test
  void aTokenOfAnotherSessionClosesWith1008() {
    Http.Session mine = http().createSession();
    Http.Session other = http().createSession();
    try (TestSocket socket = TestSocket.open(base, mine.id())) {
      socket.auth(other.token(), null, false);
      assertEquals(1008, socket.awaitClose());
    }
  }

  @Test
  void aProducerKeyDoesNotOpenASessionSocket() {
    Http.Session s = http().createSession();
    try (TestSocket socket = TestSocket.open(base, s.id())) {
      socket.auth(PRODUCER_KEY, null, false);
      assertEquals(1008, socket.awaitClose());
    }
  }

  @Test
  void aFirstMessageThatIsNotAuthClosesWith1008AndNothingIsReceived() {
    Http.Session s = http().createSession();
    postStatus(s.id(), "secret status");
    try (TestSocket socket = TestSocket.open(base, s.id())) {
      socket.send("{\"type\":\"ping\"}");
      assertEquals(1008, socket.awaitClose());
      assertEquals(0, socket.rawFrames(), "an unauthenticated socket receives nothing");
    }
  }

  @Test
  void silenceAfterConnectClosesWith1008() {
    Http.Session s = http().createSession();
    try (TestSocket socket = TestSocket.open(base, s.id())) {
      // the suite configures a 2 s auth timeout (5 s by default)
      assertEquals(1008, socket.awaitClose());
      assertEquals(0, socket.rawFrames());
    }
  }

  @Test
  void invalidSessionIdsCloseWith1008() {
    for (String bad : List.of("a.b", "x%20y", "%2E%2E", "a".repeat(129))) {
      try (TestSocket socket = TestSocket.open(TestSocket.wsUri(base, "ws/" + bad), null)) {
        assertEquals(1008, socket.awaitClose(), bad);
      }
    }
  }

  // --- delivery ---

  @Test
  void everyConnectionOfASessionReceivesEveryMessageInOrder() {
    Http.Session s = http().createSession();
    List<TestSocket> tabs = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        tabs.add(TestSocket.ready(base, s.id(), s.token()));
      }
      for (int i = 1; i <= 40; i++) {
        if (i % 4 == 0) {
          assertEquals(202, postEvent(s.id(), "step", "{\"i\":" + i + "}").statusCode());
        } else {
          assertEquals(202, postStatus(s.id(), "status " + i).statusCode());
        }
      }
      for (TestSocket tab : tabs) {
        List<JsonObject> got = tab.take(40, "status", "event");
        for (int i = 0; i < 40; i++) {
          assertEquals(i + 1, got.get(i).getInt("seq"), "frame " + i + " of " + got);
          assertTrue(got.get(i).getString("ts").endsWith("Z"));
        }
        assertEquals("step", got.get(3).getString("event_type"));
        assertEquals(4, got.get(3).getJsonObject("data").getInt("i"));
        assertEquals("status 1", got.get(0).getString("data"));
      }
    } finally {
      tabs.forEach(TestSocket::close);
    }
  }

  @Test
  void messagesOfOneSessionNeverReachAnother() {
    Http.Session a = http().createSession();
    Http.Session b = http().createSession();
    try (TestSocket socketA = TestSocket.ready(base, a.id(), a.token());
        TestSocket socketB = TestSocket.ready(base, b.id(), b.token())) {
      postStatus(a.id(), "for a only");
      assertEquals("for a only", socketA.nextOfType("status").getString("data"));
      socketB.expectSilence(Duration.ofMillis(500));
    }
  }

  @Test
  void aStatusPostedBeforeAnyPageConnectsIsShownOnConnect() {
    String hostSessionId = "host-app-session-" + System.nanoTime();
    assertEquals(202, postStatus(hostSessionId, "queued before the page").statusCode());
    try (TestSocket socket = TestSocket.open(base, hostSessionId)) {
      socket.auth(issueToken(hostSessionId), null, false);
      assertEquals(1, socket.next().getInt("seq"));
      assertEquals("queued before the page", socket.next().getString("data"));
    }
  }

  /** A token for a host application's own session id, minted by its Java code (issueToken). */
  private String issueToken(String sessionId) {
    HttpResponse<String> r = http().post("api/v1/probe/token/" + sessionId, "", null);
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }

  @Test
  void resumeReplaysExactlyTheMissedMessagesThenLiveOnes() {
    Http.Session s = http().createSession();
    long cursor;
    try (TestSocket socket = TestSocket.ready(base, s.id(), s.token())) {
      postEvent(s.id(), "e", "{\"n\":1}");
      postEvent(s.id(), "e", "{\"n\":2}");
      cursor = socket.take(2, "event").get(1).getInt("seq");
      socket.abort();
    }
    for (int n = 3; n <= 7; n++) {
      postEvent(s.id(), "e", "{\"n\":" + n + "}");
    }
    try (TestSocket again = TestSocket.open(base, s.id())) {
      again.auth(s.token(), cursor, false);
      assertEquals(7, again.next().getInt("seq"), "ready carries the head");
      List<JsonObject> missed = again.take(5, "event", "status", "reset");
      for (int i = 0; i < 5; i++) {
        assertEquals("event", missed.get(i).getString("type"));
        assertEquals(cursor + 1 + i, missed.get(i).getInt("seq"));
      }
      postStatus(s.id(), "live again");
      JsonObject live = again.next();
      assertEquals(8, live.getInt("seq"));
      assertEquals("live again", live.getString("data"));
    }
  }

  @Test
  void resumeBeyondHistoryGetsResetFirstNeverASilentGap() {
    Http.Session s = http().createSession();
    postStatus(s.id(), "first");
    for (int i = 0; i < 120; i++) { // history keeps 100
      postEvent(s.id(), "filler", "{}");
    }
    try (TestSocket socket = TestSocket.open(base, s.id())) {
      socket.auth(s.token(), 1L, false);
      assertEquals("ready", socket.next().getString("type"));
      JsonObject reset = socket.next();
      assertEquals("reset", reset.getString("type"));
      assertEquals(121, reset.getInt("seq"));
      JsonObject current = socket.next();
      assertEquals("first", current.getString("data"), "then the current status");
    }
  }

  @Test
  void theSeqOfGetStatusIsAValidSinceForTheSocket() {
    Http.Session s = http().createSession();
    postStatus(s.id(), "loaded over http");
    JsonObject status = Http.json(http().get("api/v1/sessions/" + s.id() + "/status", s.token()));
    assertEquals("loaded over http", status.getString("data"));
    postEvent(s.id(), "after", "{}");
    try (TestSocket socket = TestSocket.open(base, s.id())) {
      socket.auth(s.token(), (long) status.getInt("seq"), false);
      socket.next(); // ready
      JsonObject missed = socket.next();
      assertEquals("after", missed.getString("event_type"));
      assertEquals(status.getInt("seq") + 1, missed.getInt("seq"));
    }
  }

  @Test
  void historyOverHttpIsOldestFirstWithACursor() {
    Http.Session s = http().createSession();
    for (int i = 1; i <= 5; i++) {
      postStatus(s.id(), "s" + i);
    }
    JsonObject page = Http.json(http().get("api/v1/sessions/" + s.id() + "/messages?since=1&limit=3", s.token()));
    assertEquals(List.of(2, 3, 4), page.getJsonArray("messages").stream().map(v -> v.asJsonObject().getInt("seq")).toList());
    assertEquals(4, page.getInt("seq"));
    assertFalse(page.getBoolean("reset"));
  }

  @Test
  void aBatchClientReceivesEveryMessageInOrderInFewerFrames() {
    Http.Session s = http().createSession();
    try (TestSocket socket = TestSocket.open(base, s.id())) {
      socket.auth(s.token(), null, true);
      socket.next();
      http().post("api/v1/probe/burst?session=" + s.id() + "&n=500", "", null);
      List<JsonObject> got = socket.take(500, "event");
      for (int i = 0; i < 500; i++) {
        assertEquals(i + 1, got.get(i).getJsonObject("data").getInt("i"));
      }
      assertTrue(socket.rawFrames() <= 501, "never more frames than messages: " + socket.rawFrames());
    }
  }

  // --- the Java API and the current session ---

  @Test
  void theCurrentSessionComesFromAJaxRsPathParameter() {
    Http.Session s = http().createSession();
    try (TestSocket socket = TestSocket.ready(base, s.id(), s.token())) {
      assertEquals(202, http().post("api/v1/probe/" + s.id() + "/status", "via path", null).statusCode());
      assertEquals("via path", socket.nextOfType("status").getString("data"));
    }
  }

  @Test
  void theCurrentSessionComesFromTheRequestsSessionToken() {
    Http.Session s = http().createSession();
    try (TestSocket socket = TestSocket.ready(base, s.id(), s.token())) {
      assertEquals(202, http().post("api/v1/probe/current/status", "via token", s.token()).statusCode());
      assertEquals("via token", socket.nextOfType("status").getString("data"));
    }
  }

  @Test
  void theCurrentSessionFollowsWorkIntoExecutorsAndAsynchronousMethods() {
    Http.Session s = http().createSession();
    try (TestSocket socket = TestSocket.ready(base, s.id(), s.token())) {
      assertEquals(202, http().post("api/v1/probe/" + s.id() + "/async", "", null).statusCode());
      List<JsonObject> got = socket.take(3, "status", "event");
      assertEquals("from the managed executor", got.get(0).getString("data"));
      assertEquals("from an @Asynchronous method", got.get(1).getString("data"));
      assertEquals("async_done", got.get(2).getString("event_type"));
    }
  }

  @Test
  void postingWithNoCurrentSessionIsAClearErrorNotASilentDrop() {
    HttpResponse<String> r = http().post("api/v1/probe/current/status", "nowhere", null);
    assertEquals(400, r.statusCode());
    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
    assertTrue(Http.json(r).getString("detail").contains("No current status-messenger session"));
  }

  @Test
  void observersOfConnectingSocketsRunWithThatSessionCurrent() {
    String id = "greet-" + System.nanoTime();
    try (TestSocket socket = TestSocket.ready(base, id, issueToken(id))) {
      assertEquals("welcome, " + id, socket.nextOfType("status").getString("data"));
    }
  }

  @Test
  void theDemoAgentReportsEveryStepToTheSessionThatStartedIt() {
    Http.Session s = http().createSession();
    try (TestSocket socket = TestSocket.ready(base, s.id(), s.token())) {
      assertEquals(202, http().post("api/v1/demo/agent", "", s.token()).statusCode());
      List<String> statuses = new ArrayList<>();
      while (statuses.isEmpty() || !statuses.get(statuses.size() - 1).startsWith("Done")) {
        statuses.add(socket.nextOfType("status").getString("data"));
      }
      assertTrue(statuses.contains("Searching flights LIS → AMS (3 airlines)…"), statuses.toString());
      assertEquals("Reading your request…", statuses.get(0));
    }
    assertEquals(401, http().post("api/v1/demo/agent", "", null).statusCode());
  }

  // --- client messages ---

  @Test
  void bySameOriginOnlyPagesOfThisServerOpenSockets() {
    Http.Session s = http().createSession();
    String own = base.getProtocol() + "://" + base.getHost() + ":" + base.getPort();
    try (TestSocket socket = TestSocket.open(TestSocket.wsUri(base, "ws/" + s.id()), own)) {
      socket.auth(s.token(), null, false);
      assertEquals("ready", socket.next().getString("type"));
    }
    for (String foreign : List.of("http://evil.example", own + ".evil.example", "null")) {
      try {
        TestSocket.open(TestSocket.wsUri(base, "ws/" + s.id()), foreign).close();
        throw new AssertionError("a page of " + foreign + " opened a socket");
      } catch (java.util.concurrent.CompletionException refused) {
        assertTrue(
            refused.getCause() instanceof java.net.http.WebSocketHandshakeException h
                && h.getResponse().statusCode() == 403,
            String.valueOf(refused.getCause()));
      }
    }
  }

  @Test
  void pingGetsPong() {
    Http.Session s = http().createSession();
    try (TestSocket socket = TestSocket.ready(base, s.id(), s.token())) {
      socket.send("{\"type\":\"ping\"}");
      assertEquals("pong", socket.next().getString("type"));
    }
  }

  @Test
  void badClientMessagesGetErrorFramesAndTheConnectionStays() {
    Http.Session s = http().createSession();
    try (TestSocket socket = TestSocket.ready(base, s.id(), s.token())) {
      socket.send("{not json");
      assertEquals("invalid_json", socket.next().getString("code"));
      socket.send("[1,2,3]");
      assertEquals("invalid_message", socket.next().getString("code"));
      socket.send("{\"type\":\"dance\"}");
      JsonObject unknown = socket.next();
      assertEquals("unknown_type", unknown.getString("code"));
      assertEquals("dance", unknown.getString("message_type"));
      socket.send("{\"type\":\"subscribe\",\"task\":\"no-such-task\"}");
      assertEquals("unknown_task", socket.next().getString("code"));
      socket.send("{\"type\":\"auth\",\"token\":\"again\"}");
      assertEquals("already_authenticated", socket.next().getString("code"));
      socket.sendBinary(new byte[] {1, 2, 3});
      assertEquals("invalid_message", socket.next().getString("code"));
      socket.send("{\"type\":\"ping\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
      assertEquals("invalid_message", socket.next().getString("code"));
      postStatus(s.id(), "still here");
      assertEquals("still here", socket.nextOfType("status").getString("data"));
      assertFalse(socket.isClosed());
    }
  }

  @Test
  void anOversizedInboundMessageClosesWith1009() {
    Http.Session s = http().createSession();
    try (TestSocket socket = TestSocket.ready(base, s.id(), s.token())) {
      socket.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}");
      assertEquals(1009, socket.awaitClose());
    }
    try (TestSocket next = TestSocket.ready(base, s.id(), s.token())) {
      next.send("{\"type\":\"ping\"}");
      assertEquals("pong", next.next().getString("type"), "the server keeps serving");
    }
  }

  // --- bulk publish ---

  @Test
  void bulkPublishReachesEachSessionInOrderWithOneSeqPerItem() {
    Http.Session a = http().createSession();
    Http.Session b = http().createSession();
    try (TestSocket socketA = TestSocket.ready(base, a.id(), a.token());
        TestSocket socketB = TestSocket.ready(base, b.id(), b.token())) {
      String body =
          "[{\"session\":\"" + a.id() + "\",\"type\":\"status\",\"message\":\"a one\"},"
              + "{\"session\":\"" + b.id() + "\",\"type\":\"event\",\"event_type\":\"fanout\",\"data\":{\"n\":7}},"
              + "{\"session\":\"" + a.id() + "\",\"type\":\"event\",\"event_type\":\"fanout\"},"
              + "{\"session\":\"" + a.id() + "\",\"type\":\"status\",\"message\":\"a two\"}]";
      HttpResponse<String> r = http().post("api/v1/publish", body, PRODUCER_KEY);
      assertEquals(202, r.statusCode(), r.body());
      assertEquals("[1,1,2,3]", Http.json(r).getJsonArray("seqs").toString());
      List<JsonObject> gotA = socketA.take(3, "status", "event");
      assertEquals("a one", gotA.get(0).getString("data"));
      assertEquals("fanout", gotA.get(1).getString("event_type"));
      assertEquals("{}", gotA.get(1).getJsonObject("data").toString());
      assertEquals("a two", gotA.get(2).getString("data"));
      assertEquals(List.of(1, 2, 3), gotA.stream().map(f -> f.getInt("seq")).toList());
      JsonObject event = socketB.nextOfType("event");
      assertEquals(7, event.getJsonObject("data").getInt("n"));
      assertEquals(1, event.getInt("seq"));
    }
  }

  @Test
  void aBadItemRefusesTheWholeBulkPublish() {
    Http.Session a = http().createSession();
    String good = "{\"session\":\"" + a.id() + "\",\"type\":\"status\",\"message\":\"never\"}";
    assertProblem(http().post("api/v1/publish", "[" + good + ",{\"session\":\"" + a.id() + "\"}]", PRODUCER_KEY), 400, "Item 2: \"type\" is required");
    assertProblem(http().post("api/v1/publish", "[" + good + ",{\"session\":\"bad.id\",\"type\":\"status\",\"message\":\"x\"}]", PRODUCER_KEY), 400, "Item 2: Not a valid session id");
    assertProblem(http().post("api/v1/publish", "[" + good + ",{\"session\":\"" + a.id() + "\",\"type\":\"log\"}]", PRODUCER_KEY), 400, "Item 2: \"type\" must be");
    assertProblem(http().post("api/v1/publish", "[" + good + ",{\"session\":\"" + a.id() + "\",\"type\":\"status\",\"message\":\"" + "x".repeat(5000) + "\"}]", PRODUCER_KEY), 413, "Item 2: Status text");
    assertProblem(http().post("api/v1/publish", "[" + good + ",42]", PRODUCER_KEY), 400, "Item 2: must be a JSON object");
    assertProblem(http().post("api/v1/publish", "[]", PRODUCER_KEY), 400, "Nothing to publish");
    assertProblem(http().post("api/v1/publish", good, PRODUCER_KEY), 400, "JSON array");
    assertProblem(http().post("api/v1/publish", "[" + good + "]", null), 401, "Missing credential");
    assertProblem(http().post("api/v1/publish", "[" + good + "]", a.token()), 403, "not a producer key");
    String tooMany = String.join(",", java.util.Collections.nCopies(1001, good));
    assertProblem(http().post("api/v1/publish", "[" + tooMany + "]", PRODUCER_KEY), 413, "limit is 1000");
    // nothing of the refused requests was appended
    assertProblem(http().get("api/v1/sessions/" + a.id() + "/status", a.token()), 404, "no status yet");
  }

  @Test
  void bulkPublishFromJavaReachesEveryNamedSession() {
    Http.Session a = http().createSession();
    Http.Session b = http().createSession();
    try (TestSocket socketA = TestSocket.ready(base, a.id(), a.token());
        TestSocket socketB = TestSocket.ready(base, b.id(), b.token())) {
      HttpResponse<String> r = http().post("api/v1/probe/publish?sessions=" + a.id() + "," + b.id(), "", null);
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("[1, 1]", r.body().trim());
      assertEquals("bulk from java", socketA.nextOfType("status").getString("data"));
      assertEquals(b.id(), socketB.nextOfType("event").getJsonObject("data").getString("to"));
    }
  }

  // --- HTTP errors ---

  @Test
  void httpErrorsAreProblemJsonWithAClearDetail() {
    Http.Session s = http().createSession();
    String path = "api/v1/sessions/" + s.id() + "/status";
    assertProblem(http().post(path, "{\"message\":\"x\"}", null), 401, "Missing credential");
    assertProblem(http().post(path, "{\"message\":\"x\"}", "wrong-key"), 403, "not a producer key");
    assertProblem(http().post(path, "{\"message\":\"x\"}", s.token()), 403, "not a producer key");
    assertProblem(http().post(path, "{\"message\":", PRODUCER_KEY), 400, "not valid JSON");
    assertProblem(http().post(path, "[]", PRODUCER_KEY), 400, "must be a JSON object");
    assertProblem(http().post(path, "{}", PRODUCER_KEY), 400, "\"message\" is required");
    assertProblem(http().post(path, "{\"message\":42}", PRODUCER_KEY), 400, "\"message\" must be a string");
    assertProblem(http().post(path, "{\"message\":\"" + "é".repeat(2100) + "\"}", PRODUCER_KEY), 413, "limit is 4096");
    assertProblem(http().post(path, new byte[70 * 1024], PRODUCER_KEY), 413, "larger than");
    assertProblem(http().post("api/v1/sessions/bad.id/status", "{\"message\":\"x\"}", PRODUCER_KEY), 400, "Not a valid session id");
    assertProblem(http().post("api/v1/sessions/" + s.id() + "/events", "{\"data\":{}}", PRODUCER_KEY), 400, "\"event_type\" is required");
    assertProblem(http().post("api/v1/sessions/" + s.id() + "/events", "{\"event_type\":\"x\",\"data\":[1]}", PRODUCER_KEY), 400, "must be a JSON object");
    assertProblem(http().get(path, s.token()), 404, "no status yet");
    assertProblem(http().get(path, null), 401, "Missing credential");
    assertProblem(http().get(path, http().createSession().token()), 403, "not a valid token of this session");
    assertProblem(http().get(path, PRODUCER_KEY), 403, "not a valid token");
    assertProblem(http().get("api/v1/sessions/" + s.id() + "/messages?limit=0", s.token()), 400, "\"limit\"");
    assertProblem(http().get("api/v1/sessions/" + s.id() + "/messages?since=-4", s.token()), 400, "\"since\"");
    assertProblem(http().get("api/v1/nothing-here", null), 404, null);
    // and the server still serves
    assertEquals(202, http().post(path, "{\"message\":\"fine\"}", "it-rotated-key").statusCode());
    assertEquals("fine", Http.json(http().get(path, s.token())).getString("data"));
  }

  private static void assertProblem(HttpResponse<String> r, int status, String detailPart) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), r.body());
    JsonObject problem = Http.json(r);
    assertEquals(status, problem.getInt("status"));
    if (detailPart != null) {
      assertTrue(problem.getString("detail", "").contains(detailPart), "detail of " + r.body());
    }
  }
}
