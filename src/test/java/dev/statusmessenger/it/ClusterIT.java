package dev.statusmessenger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two real Payara Micro processes of the built WAR, clustered on loopback through Payara's data
 * grid: node A starts first and holds some state, node B joins late; sockets on one node receive
 * what is produced on the other, in order with one {@code seq}; then B is killed and its clients
 * resume on A with nothing lost or repeated.
 *
 * <p>With {@code -Dcluster.bench=true} it also measures the latency from a producer's POST to a
 * socket's frame, across nodes, on one node of the cluster, and on a node alone ({@code
 * --nocluster}), and prints the figures (no timed assertions).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  private static final Duration START = Duration.ofMinutes(4);
  private static final String KEY = PayaraProcess.API_KEY;

  private static PayaraProcess nodeA;
  private static PayaraProcess nodeB;
  private static Http httpA;
  private static Http httpB;

  /** State made on A before B joined. */
  private static Http.Session early;
  private static String earlyTask;

  @BeforeAll
  static void startTwoNodes() {
    String cluster = "sm-it-" + UUID.randomUUID().toString().substring(0, 8);
    int[] grid = {PayaraProcess.freePort(), PayaraProcess.freePort()};
    nodeA = PayaraProcess.clustered("cluster-a", cluster, grid, 0).launch();
    nodeA.awaitReady(START);
    httpA = new Http(nodeA.url());
    early = httpA.createSession();
    post(httpA, "api/v1/sessions/" + early.id() + "/status", "{\"message\":\"before B joined\"}");
    earlyTask = httpA.createTask("early work", null, early.id(), KEY);
    post(httpA, "api/v1/tasks/" + earlyTask + "/logs",
        "[{\"level\":\"info\",\"message\":\"one\"},{\"level\":\"info\",\"message\":\"two\"}]");

    nodeB = PayaraProcess.clustered("cluster-b", cluster, grid, 1).launch();
    nodeB.awaitReady(START);
    nodeA.awaitGridMembers(2, Duration.ofMinutes(1));
    nodeB.awaitGridMembers(2, Duration.ofMinutes(1));
    assertTrue(nodeA.logContains("runs as a cluster"), "A uses the grid; log tail:\n" + nodeA.logTail());
    assertTrue(nodeB.logContains("runs as a cluster"), "B uses the grid; log tail:\n" + nodeB.logTail());
    httpB = new Http(nodeB.url());
  }

  @AfterAll
  static void stopNodes() {
    for (PayaraProcess node : new PayaraProcess[] {nodeA, nodeB}) {
      if (node != null) {
        node.close();
      }
    }
  }

  @Test
  @Order(1)
  void aNodeThatJoinsLateSeesTheExistingState() {
    for (Http node : List.of(httpA, httpB)) {
      HttpResponse<String> ready = node.get("health/ready", null);
      assertEquals(200, ready.statusCode(), ready.body());
      assertTrue(ready.body().replace(" ", "").contains("\"grid\":\"ready\""), "the readiness names the grid: " + ready.body());
    }
    JsonObject status = Http.json(httpB.get("api/v1/sessions/" + early.id() + "/status", early.token()));
    assertEquals("before B joined", status.getString("data"));
    assertEquals(1, status.getInt("seq"));

    JsonObject logs = Http.json(httpB.get("api/v1/tasks/" + earlyTask + "/logs", KEY));
    assertEquals(2, logs.getJsonArray("lines").size(), "the task's log on B: " + logs);
    assertEquals(2, logs.getInt("seq"));

    try (TestSocket socket = TestSocket.ready(nodeB.url(), early.id(), early.token())) {
      JsonObject first = socket.next();
      assertEquals("before B joined", first.getString("data"), "the current status on connect");
    }
  }

  @Test
  @Order(2)
  void messagesProducedOnBothNodesReachSocketsOnBothInOrderWithOneSeq() throws Exception {
    Http.Session session = httpB.createSession(); // a token minted on B opens sockets on A
    int perNode = 40;
    try (TestSocket onA = TestSocket.ready(nodeA.url(), session.id(), session.token());
        TestSocket alsoOnA = TestSocket.ready(nodeA.url(), session.id(), session.token());
        TestSocket onB = TestSocket.ready(nodeB.url(), session.id(), session.token())) {
      List<Long> acceptedSeqs = new CopyOnWriteArrayList<>();
      CompletableFuture<Void> fromA = CompletableFuture.runAsync(() -> produce(httpA, session, "A", perNode, acceptedSeqs));
      CompletableFuture<Void> fromB = CompletableFuture.runAsync(() -> produce(httpB, session, "B", perNode, acceptedSeqs));
      CompletableFuture.allOf(fromA, fromB).get();

      TreeSet<Long> distinct = new TreeSet<>(acceptedSeqs);
      assertEquals(2 * perNode, distinct.size(), "every POST got its own seq: " + acceptedSeqs);
      assertEquals(1L, distinct.first());
      assertEquals(2L * perNode, distinct.last(), "one gapless seq across both nodes");

      for (TestSocket socket : List.of(onA, alsoOnA, onB)) {
        List<JsonObject> events = socket.take(2 * perNode, "event");
        assertInOrderFromEachProducer(events, perNode);
      }
      onA.expectSilence(Duration.ofMillis(300));
    }
  }

  @Test
  @Order(3)
  void taskLogPostedOnOneNodeStreamsToViewersOnTheOther() {
    Http.Session session = httpA.createSession();
    String parent = httpA.createTask("parent", null, session.id(), KEY);
    String child = httpB.createTask("child", parent, null, KEY); // the parent lives in the grid
    try (TestSocket viewer = TestSocket.openTask(nodeA.url(), parent)) {
      viewer.auth(session.token(), null, false);
      assertEquals("ready", viewer.next().getString("type"));
      for (int i = 1; i <= 30; i++) {
        String task = i % 3 == 0 ? child : parent;
        post(httpB, "api/v1/tasks/" + task + "/logs", "{\"level\":\"info\",\"message\":\"line " + i + "\"}");
      }
      List<JsonObject> lines = viewer.take(30, "log");
      for (int i = 0; i < 30; i++) {
        assertEquals(i + 1, lines.get(i).getInt("seq"), "gapless seq in the parent's log: " + lines.get(i));
        assertEquals("line " + (i + 1), lines.get(i).getString("message"));
      }
    }
    JsonObject tree = Http.json(httpA.get("api/v1/tasks/" + parent, KEY));
    assertEquals(child, tree.getJsonArray("subtasks").getJsonObject(0).getString("task_id"), tree.toString());
    assertEquals(session.id(), tree.getJsonArray("subtasks").getJsonObject(0).getString("session"),
        "a subtask belongs to its parent's session");
  }

  @Test
  @Order(4)
  void anIdempotencyKeyHoldsAcrossNodes() {
    Http.Session session = httpA.createSession();
    String key = "retry-" + UUID.randomUUID();
    String body = "{\"event_type\":\"charged\",\"data\":{}}";
    HttpResponse<String> first = httpA.post("api/v1/sessions/" + session.id() + "/events", body, KEY, key);
    HttpResponse<String> retry = httpB.post("api/v1/sessions/" + session.id() + "/events", body, KEY, key);
    assertEquals(202, first.statusCode(), first.body());
    assertEquals(202, retry.statusCode(), retry.body());
    assertEquals(first.body(), retry.body(), "the retry on B gets A's answer");
    assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElse(""));
    JsonObject history = Http.json(httpB.get("api/v1/sessions/" + session.id() + "/messages", session.token()));
    assertEquals(1, history.getJsonArray("messages").size(), "appended once: " + history);
  }

  @Test
  @Order(5)
  void refusesBadInputAndWrongTokensOnEveryNode() {
    Http.Session session = httpA.createSession();
    Http.Session other = httpB.createSession();
    assertEquals(403, httpB.get("api/v1/sessions/" + session.id() + "/status", other.token()).statusCode());
    assertEquals(404, httpB.get("api/v1/tasks/unknown-task", KEY).statusCode());
    try (TestSocket wrong = TestSocket.open(nodeB.url(), session.id())) {
      wrong.auth(other.token(), null, false);
      assertEquals(1008, wrong.awaitClose(), "a token of another session is refused on B too");
    }
  }

  @Test
  @Order(6)
  void historyInTheGridKeepsItsBoundAndResetsAResumeItNoLongerCovers() {
    Http.Session session = httpB.createSession();
    for (int i = 1; i <= 120; i++) {
      post(httpB, "api/v1/sessions/" + session.id() + "/events", "{\"event_type\":\"n\",\"data\":{}}");
    }
    JsonObject history = Http.json(httpA.get("api/v1/sessions/" + session.id() + "/messages?limit=100", session.token()));
    assertEquals(100, history.getJsonArray("messages").size(), "history keeps its bound of 100");
    assertEquals(21, history.getJsonArray("messages").getJsonObject(0).getInt("seq"));
    assertTrue(history.getBoolean("reset"), "since=0 is no longer covered: " + history.getBoolean("reset"));
    try (TestSocket late = TestSocket.open(nodeA.url(), session.id())) {
      late.auth(session.token(), 5L, false);
      assertEquals("ready", late.next().getString("type"));
      assertEquals("reset", late.next().getString("type"), "never a silent gap");
    }
    try (TestSocket recent = TestSocket.open(nodeA.url(), session.id())) {
      recent.auth(session.token(), 110L, false);
      assertEquals("ready", recent.next().getString("type"));
      assertEquals(111, recent.next().getInt("seq"), "a covered resume replays from history");
    }
  }

  @Test
  @Order(50)
  void crossNodeLatency() throws Exception {
    Assumptions.assumeTrue(Boolean.getBoolean("cluster.bench"), "set -Dcluster.bench=true to measure");
    int rounds = Integer.getInteger("cluster.bench.rounds", 500);
    StringBuilder report = new StringBuilder();
    report.append(measure("cluster, produced on B, socket on A", httpB, nodeA.url(), httpA, rounds));
    report.append(measure("cluster, produced and read on A", httpA, nodeA.url(), httpA, rounds));
    try (PayaraProcess alone = PayaraProcess.single("bench-single").launch()) {
      alone.awaitReady(START);
      assertTrue(alone.logContains("runs on this node alone"), "--nocluster stays in memory");
      Http http = new Http(alone.url());
      report.append(measure("one node, --nocluster", http, alone.url(), http, rounds));
    }
    System.out.print(report);
    Files.writeString(Path.of("target", "cluster-bench.txt"), report.toString());
  }

  @Test
  @Order(99)
  void afterANodeDiesItsClientsResumeOnTheOtherWithNothingLostOrRepeated() throws Exception {
    Http.Session session = httpB.createSession();
    String task = httpB.createTask("survives", null, session.id(), KEY);
    for (int i = 1; i <= 5; i++) {
      post(httpB, "api/v1/tasks/" + task + "/logs", "{\"level\":\"info\",\"message\":\"on B " + i + "\"}");
    }
    post(httpB, "api/v1/sessions/" + session.id() + "/status", "{\"message\":\"posted on B\"}");

    int total = 80; // within the session's history of 100, so the resume is served whole
    List<Long> seen = new ArrayList<>();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> producer;
    try (TestSocket onB = TestSocket.ready(nodeB.url(), session.id(), session.token())) {
      assertEquals("posted on B", onB.next().getString("data"));
      seen.add(1L);
      producer =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < total; i++) {
                  HttpResponse<String> r =
                      httpA.post(
                          "api/v1/sessions/" + session.id() + "/events",
                          "{\"event_type\":\"tick\",\"data\":{\"i\":" + i + "}}", KEY);
                  if (r.statusCode() != 202) {
                    failures.add(r.statusCode() + " " + r.body());
                  }
                  pause(10);
                }
              });
      // let B's socket receive part of the run, then kill B under it
      while (seen.size() < 30) {
        seen.add((long) onB.nextOfType("event").getInt("seq"));
      }
      nodeB.kill();
      assertFalse(nodeB.isAlive());
      JsonObject frame;
      while ((frame = onB.poll(Duration.ofMillis(200))) != null) {
        if ("event".equals(frame.getString("type", ""))) {
          seen.add((long) frame.getInt("seq"));
        }
      }
    }
    long cursor = seen.get(seen.size() - 1);
    producer.get();
    assertEquals(List.of(), failures, "A kept accepting while B died");

    try (TestSocket onA = TestSocket.open(nodeA.url(), session.id())) {
      onA.auth(session.token(), cursor, false);
      JsonObject ready = onA.next(Duration.ofSeconds(30));
      assertEquals("ready", ready.getString("type"), ready.toString());
      long last = ready.getJsonNumber("seq").longValue();
      assertEquals(1 + total, last, "the session's position on A counts every message");
      for (long s = cursor + 1; s <= last; s++) {
        JsonObject next = onA.next();
        assertEquals(s, next.getJsonNumber("seq").longValue(), "resumed without a gap: " + next);
        seen.add(s);
      }
      onA.expectSilence(Duration.ofMillis(300));
    }
    for (int i = 0; i < seen.size(); i++) {
      assertEquals(i + 1, seen.get(i), "each message once, in order, across the two nodes");
    }

    JsonObject status = Http.json(httpA.get("api/v1/sessions/" + session.id() + "/status", session.token()));
    assertEquals("posted on B", status.getString("data"), "the status survives B");
    JsonObject logs = Http.json(httpA.get("api/v1/tasks/" + task + "/logs", KEY));
    assertEquals(5, logs.getJsonArray("lines").size(), "the task log survives B: " + logs);
    JsonObject earlyStatus = Http.json(httpA.get("api/v1/sessions/" + early.id() + "/status", early.token()));
    assertEquals("before B joined", earlyStatus.getString("data"));
    JsonObject history = Http.json(httpA.get("api/v1/sessions/" + session.id() + "/messages?limit=100", session.token()));
    assertEquals(1 + total, history.getJsonArray("messages").size(), "the history survives B");
    assertEquals(1, history.getJsonArray("messages").getJsonObject(0).getInt("seq"));
  }

  private static void produce(Http http, Http.Session session, String from, int count, List<Long> seqs) {
    for (int i = 0; i < count; i++) {
      HttpResponse<String> r =
          http.post(
              "api/v1/sessions/" + session.id() + "/events",
              Json.createObjectBuilder()
                  .add("event_type", "step")
                  .add("data", Json.createObjectBuilder().add("from", from).add("n", i))
                  .build()
                  .toString(),
              KEY);
      assertEquals(202, r.statusCode(), r.body());
      seqs.add(Http.json(r).getJsonNumber("seq").longValue());
    }
  }

  /** Seq 1..n in order, and each producer's events in the order it posted them. */
  private static void assertInOrderFromEachProducer(List<JsonObject> events, int perNode) {
    int nextA = 0;
    int nextB = 0;
    for (int i = 0; i < events.size(); i++) {
      JsonObject e = events.get(i);
      assertEquals(i + 1, e.getInt("seq"), "seq in order without a gap: " + e);
      JsonObject data = e.getJsonObject("data");
      if (data.getString("from").equals("A")) {
        assertEquals(nextA++, data.getInt("n"), "A's events in A's order");
      } else {
        assertEquals(nextB++, data.getInt("n"), "B's events in B's order");
      }
    }
    assertEquals(perNode, nextA);
    assertEquals(perNode, nextB);
  }

  /**
   * Posts events one at a time and times each from the POST to its 202 (accepted: ordered and
   * stored) and to its frame on the socket (delivered), after a warm-up.
   */
  private static String measure(String label, Http producer, URL socketNode, Http sessions, int rounds) {
    Http.Session session = sessions.createSession();
    long[] accepted = new long[rounds];
    long[] delivered = new long[rounds];
    int warmUp = Integer.getInteger("cluster.bench.warmup", 200);
    try (TestSocket socket = TestSocket.ready(socketNode, session.id(), session.token())) {
      for (int i = -warmUp; i < rounds; i++) {
        long start = System.nanoTime();
        HttpResponse<String> r =
            producer.post(
                "api/v1/sessions/" + session.id() + "/events",
                "{\"event_type\":\"bench\",\"data\":{\"i\":" + i + "}}", KEY);
        long acceptedAt = System.nanoTime();
        assertEquals(202, r.statusCode(), r.body());
        socket.nextOfType("event");
        if (i >= 0) {
          accepted[i] = (acceptedAt - start) / 1000;
          delivered[i] = (System.nanoTime() - start) / 1000;
        }
      }
    }
    return String.format(
        Locale.ROOT, "BENCH %-38s rounds %d  accepted %s  delivered %s%n", label, rounds,
        percentiles(accepted), percentiles(delivered));
  }

  private static String percentiles(long[] micros) {
    long[] sorted = micros.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    return String.format(
        Locale.ROOT, "p50 %.2f ms p99 %.2f ms", sorted[n / 2] / 1000.0,
        sorted[(int) Math.ceil(n * 0.99) - 1] / 1000.0);
  }

  private static void post(Http http, String path, String body) {
    HttpResponse<String> r = http.post(path, body, KEY);
    if (r.statusCode() / 100 != 2) {
      fail("POST " + path + " answered " + r.statusCode() + ": " + r.body());
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
