package dev.statusmessenger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Task logs on a real Payara Micro: workers create tasks and post lines over HTTP, viewers watch
 * them live over {@code /ws/tasks/{task}} or a session socket's subscription, and read history.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TaskLogIT {

  static final String KEY = SessionMessagingIT.PRODUCER_KEY;

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

  private HttpResponse<String> postLogs(String task, String body) {
    return http().post("api/v1/tasks/" + task + "/logs", body, KEY);
  }

  private static String line(String level, String message) {
    return "{\"level\":\"" + level + "\",\"message\":\"" + message + "\",\"metadata\":{\"n\":1}}";
  }

  private static String batch(int from, int to) {
    return IntStream.rangeClosed(from, to)
        .mapToObj(i -> line(i % 5 == 0 ? "error" : "info", "line " + i))
        .collect(Collectors.joining(",", "[", "]"));
  }

  private TestSocket viewer(String task, String credential, Long since) {
    TestSocket s = TestSocket.openTask(base, task);
    s.auth(credential, since, false);
    JsonObject ready = s.next();
    assertEquals("ready", ready.getString("type"), ready.toString());
    assertEquals(task, ready.getString("task"));
    return s;
  }

  @Test
  void aWorkersLineReachesAViewerLiveWithItsFields() {
    String task = http().createTask("crawl", null, null, KEY);
    try (TestSocket viewer = viewer(task, KEY, null)) {
      HttpResponse<String> r = postLogs(task, line("warning", "disk at 91%"));
      assertEquals(202, r.statusCode(), r.body());
      assertEquals(1, Http.json(r).getInt("seq"));
      JsonObject log = viewer.next();
      assertEquals("log", log.getString("type"));
      assertEquals(task, log.getString("task"));
      assertEquals(task, log.getString("source_task"));
      assertEquals("warning", log.getString("level"));
      assertEquals("disk at 91%", log.getString("message"));
      assertEquals(1, log.getJsonObject("metadata").getInt("n"));
      assertEquals(1, log.getInt("seq"));
      assertTrue(log.getString("ts").endsWith("Z"));
    }
  }

  @Test
  void twoViewersGetEveryLineOfABatchInOrder() {
    Http.Session s = http().createSession();
    String task = http().createTask("import", null, s.id(), KEY);
    try (TestSocket taskViewer = viewer(task, s.token(), null);
        TestSocket sessionViewer = TestSocket.ready(base, s.id(), s.token())) {
      sessionViewer.send("{\"type\":\"subscribe\",\"task\":\"" + task + "\"}");
      JsonObject subscribed = sessionViewer.next();
      assertEquals("ready", subscribed.getString("type"));
      assertEquals(task, subscribed.getString("task"));
      HttpResponse<String> r = postLogs(task, batch(1, 300));
      assertEquals(202, r.statusCode(), r.body());
      assertEquals(300, Http.json(r).getInt("seq"));
      assertEquals(300, Http.json(r).getInt("count"));
      for (TestSocket viewer : List.of(taskViewer, sessionViewer)) {
        List<JsonObject> lines = viewer.take(300, "log");
        for (int i = 0; i < 300; i++) {
          assertEquals(i + 1, lines.get(i).getInt("seq"));
          assertEquals("line " + (i + 1), lines.get(i).getString("message"));
        }
      }
    }
  }

  @Test
  void aSubtasksLinesAlsoBelongToItsParentsLog() {
    String parent = http().createTask("deploy", null, null, KEY);
    String build = http().createTask("build", parent, null, KEY);
    String test = http().createTask("test", parent, null, KEY);
    try (TestSocket parentViewer = viewer(parent, KEY, null)) {
      postLogs(parent, line("info", "starting"));
      postLogs(build, line("info", "compiling"));
      postLogs(test, line("error", "3 failures"));
      List<JsonObject> lines = parentViewer.take(3, "log");
      assertEquals(List.of(1, 2, 3), lines.stream().map(l -> l.getInt("seq")).toList());
      assertEquals(List.of(parent, build, test), lines.stream().map(l -> l.getString("source_task")).toList());
      assertTrue(lines.stream().allMatch(l -> l.getString("task").equals(parent)));
    }
    JsonObject tree = Http.json(http().get("api/v1/tasks/" + parent, KEY));
    assertEquals("deploy", tree.getString("description"));
    assertEquals(3, tree.getInt("seq"));
    assertEquals(List.of(build, test), tree.getJsonArray("subtasks").stream().map(v -> v.asJsonObject().getString("task_id")).toList());
    JsonObject child = Http.json(http().get("api/v1/tasks/" + build, KEY));
    assertEquals(parent, child.getString("parent"));
    assertEquals(1, child.getInt("seq"), "the subtask's own log has only its own line");
  }

  @Test
  void historyIsOldestFirstWithLevelFilterLimitAndACursorForTheSocket() {
    String task = http().createTask("history", null, null, KEY);
    postLogs(task, batch(1, 20)); // lines 5, 10, 15, 20 are errors
    JsonObject tail = Http.json(http().get("api/v1/tasks/" + task + "/logs?limit=3", KEY));
    assertEquals(List.of(18, 19, 20), seqs(tail));
    assertEquals(20, tail.getInt("seq"));
    JsonObject errors = Http.json(http().get("api/v1/tasks/" + task + "/logs?level=error", KEY));
    assertEquals(List.of(5, 10, 15, 20), seqs(errors));
    JsonObject warningsUp = Http.json(http().get("api/v1/tasks/" + task + "/logs?level=warning&since=6&limit=2", KEY));
    assertEquals(List.of(10, 15), seqs(warningsUp));
    assertEquals(15, warningsUp.getInt("seq"));
    JsonObject page = Http.json(http().get("api/v1/tasks/" + task + "/logs?since=18", KEY));
    assertEquals(List.of(19, 20), seqs(page));
    assertFalse(page.getBoolean("reset"));
    // the seq of GET …/logs is a valid since for the socket
    postLogs(task, line("info", "after the read"));
    try (TestSocket viewer = viewer(task, KEY, (long) page.getInt("seq"))) {
      JsonObject next = viewer.next();
      assertEquals(21, next.getInt("seq"));
      assertEquals("after the read", next.getString("message"));
    }
  }

  @Test
  void aViewerResumingWithSinceGetsExactlyTheMissedLines() {
    String task = http().createTask("resume", null, null, KEY);
    postLogs(task, batch(1, 10));
    try (TestSocket viewer = viewer(task, KEY, 7L)) {
      assertEquals(List.of(8, 9, 10), viewer.take(3, "log").stream().map(l -> l.getInt("seq")).toList());
      postLogs(task, line("info", "live"));
      assertEquals(11, viewer.next().getInt("seq"));
    }
  }

  @Test
  void unknownTasksAreNotFoundEverywhere() {
    assertEquals(404, postLogs("no-such-task", line("info", "x")).statusCode());
    assertEquals(404, http().get("api/v1/tasks/no-such-task", KEY).statusCode());
    assertEquals(404, http().get("api/v1/tasks/no-such-task/logs", KEY).statusCode());
    assertEquals(404, http().post("api/v1/tasks", "{\"description\":\"x\",\"parent\":\"nope\"}", KEY).statusCode());
    try (TestSocket socket = TestSocket.openTask(base, "no-such-task")) {
      assertEquals(1008, socket.awaitClose());
    }
    Http.Session s = http().createSession();
    try (TestSocket socket = TestSocket.ready(base, s.id(), s.token())) {
      socket.send("{\"type\":\"subscribe\",\"task\":\"no-such-task\"}");
      assertEquals("unknown_task", socket.next().getString("code"));
    }
  }

  @Test
  void badLinesAreRefusedSayingWhichLineAndWhy() {
    String task = http().createTask("bad input", null, null, KEY);
    String path = "api/v1/tasks/" + task + "/logs";
    assertProblem(http().post(path, line("fatal", "x"), KEY), 400, "unknown \"level\" 'fatal'");
    assertProblem(http().post(path, "[" + line("info", "ok") + ",{\"level\":\"info\"}]", KEY), 400, "Line 2: \"message\" is required");
    assertProblem(http().post(path, "[" + line("info", "ok") + ",42]", KEY), 400, "Line 2: a log line must be a JSON object");
    assertProblem(http().post(path, "{\"level\":\"info\",\"message\":\"x\",\"metadata\":[1]}", KEY), 400, "\"metadata\" must be a JSON object");
    assertProblem(http().post(path, "[]", KEY), 400, "empty");
    assertProblem(http().post(path, "{\"level\":\"info\",\"message\":\"" + "x".repeat(17 * 1024) + "\"}", KEY), 413, "limit is 16384");
    assertProblem(http().post(path, "{\"level\":\"info\",\"message\":\"x\",\"metadata\":{\"m\":\"" + "y".repeat(9000) + "\"}}", KEY), 413, "limit is 8192");
    assertProblem(http().post(path, batch(1, 1001), KEY), 413, "at most 1000 lines");
    assertProblem(http().post(path, line("info", "x"), null), 401, "Missing credential");
    assertProblem(http().get(path + "?level=loud", KEY), 400, "\"level\"");
    assertProblem(http().get(path + "?limit=0", KEY), 400, "\"limit\"");
    // nothing of the refused batches was appended, and the task still takes lines
    assertEquals(0, Http.json(http().get(path, KEY)).getJsonArray("lines").size());
    assertEquals(202, http().post(path, line("info", "fine"), KEY).statusCode());
  }

  @Test
  void aRetriedPostWithTheSameIdempotencyKeyCountsOnce() {
    String task = http().createTask("retry", null, null, KEY);
    String path = "api/v1/tasks/" + task + "/logs";
    HttpResponse<String> first = http().post(path, batch(1, 5), KEY, "attempt-42");
    HttpResponse<String> retry = http().post(path, batch(1, 5), KEY, "attempt-42");
    assertEquals(202, first.statusCode());
    assertEquals(202, retry.statusCode());
    assertEquals(first.body(), retry.body());
    assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElse(""));
    assertEquals(5, Http.json(http().get(path, KEY)).getJsonArray("lines").size());
    assertEquals(202, http().post(path, batch(6, 6), KEY, "attempt-43").statusCode());
    assertEquals(6, Http.json(http().get(path, KEY)).getInt("seq"));
    // statuses too
    Http.Session s = http().createSession();
    String status = "api/v1/sessions/" + s.id() + "/status";
    http().post(status, "{\"message\":\"once\"}", KEY, "k1");
    http().post(status, "{\"message\":\"once\"}", KEY, "k1");
    assertEquals(1, Http.json(http().get(status, s.token())).getInt("seq"));
    // and events
    String events = "api/v1/sessions/" + s.id() + "/events";
    HttpResponse<String> event = http().post(events, "{\"event_type\":\"step\",\"data\":{}}", KEY, "k2");
    HttpResponse<String> again = http().post(events, "{\"event_type\":\"step\",\"data\":{}}", KEY, "k2");
    assertEquals(event.body(), again.body());
    assertEquals(2, Http.json(event).getInt("seq"));
    assertEquals(2, Http.json(http().get("api/v1/sessions/" + s.id() + "/messages", s.token())).getJsonArray("messages").size());
  }

  @Test
  void aTaskLogOpensWithTheTokenOfItsSessionOrAProducerKeyOnly() {
    Http.Session owner = http().createSession();
    Http.Session stranger = http().createSession();
    String task = http().createTask("private", null, owner.id(), KEY);
    viewer(task, owner.token(), null).close();
    viewer(task, KEY, null).close();
    try (TestSocket socket = TestSocket.openTask(base, task)) {
      socket.auth(stranger.token(), null, false);
      assertEquals(1008, socket.awaitClose());
    }
    assertEquals(403, http().get("api/v1/tasks/" + task + "/logs", stranger.token()).statusCode());
    assertEquals(200, http().get("api/v1/tasks/" + task + "/logs", owner.token()).statusCode());
    try (TestSocket socket = TestSocket.ready(base, stranger.id(), stranger.token())) {
      socket.send("{\"type\":\"subscribe\",\"task\":\"" + task + "\"}");
      assertEquals("forbidden", socket.next().getString("code"));
    }
    String subtask = http().createTask("inherits the session", task, null, KEY);
    assertEquals(owner.id(), Http.json(http().get("api/v1/tasks/" + subtask, owner.token())).getString("session"));
  }

  @Test
  void unsubscribeStopsTheLinesAndResubscribeResumes() {
    Http.Session s = http().createSession();
    String task = http().createTask("sub", null, s.id(), KEY);
    try (TestSocket socket = TestSocket.ready(base, s.id(), s.token())) {
      socket.send("{\"type\":\"subscribe\",\"task\":\"" + task + "\"}");
      socket.next();
      postLogs(task, line("info", "one"));
      assertEquals(1, socket.next().getInt("seq"));
      socket.send("{\"type\":\"unsubscribe\",\"task\":\"" + task + "\"}");
      socket.send("{\"type\":\"ping\"}");
      assertEquals("pong", socket.next().getString("type"));
      postLogs(task, line("info", "two"));
      postLogs(task, line("info", "three"));
      socket.send("{\"type\":\"subscribe\",\"task\":\"" + task + "\",\"since\":1}");
      assertEquals("ready", socket.next().getString("type"));
      assertEquals(List.of("two", "three"), socket.take(2, "log").stream().map(l -> l.getString("message")).toList());
      socket.send("{\"type\":\"unsubscribe\",\"task\":\"" + task + "\"}");
      socket.send("{\"type\":\"unsubscribe\",\"task\":\"" + task + "\"}");
      assertEquals("not_subscribed", socket.next().getString("code"));
    }
  }

  @Test
  void javaAgentsLogThroughTheMessenger() {
    Http.Session s = http().createSession();
    try (TestSocket socket = TestSocket.ready(base, s.id(), s.token())) {
      assertEquals(202, http().post("api/v1/demo/agent", "", s.token()).statusCode());
      JsonObject started = socket.nextOfType("event");
      assertEquals("task_started", started.getString("event_type"));
      String task = started.getJsonObject("data").getString("task_id");
      socket.send("{\"type\":\"subscribe\",\"task\":\"" + task + "\",\"since\":0}");
      List<JsonObject> lines = socket.take(9, "log");
      assertEquals("Request received", lines.get(0).getString("message"));
      assertEquals("Trip planned", lines.get(8).getString("message"));
      assertTrue(lines.stream().anyMatch(l -> l.getString("level").equals("warning")), lines.toString());
      assertTrue(lines.stream().anyMatch(l -> !l.getString("source_task").equals(task)), "subtask lines are in the parent's log");
      JsonObject tree = Http.json(http().get("api/v1/tasks/" + task, s.token()));
      assertEquals(2, tree.getJsonArray("subtasks").size());
      assertEquals(s.id(), tree.getString("session"), "a task created in a request for a session belongs to it");
    }
  }

  @Test
  void theCommandLineViewerTailsFollowsAndResumesAfterADropOrASilentConnection() throws Exception {
    String task = http().createTask("cli", null, null, KEY);
    postLogs(task, "[" + line("info", "one") + "," + line("debug", "two") + "," + line("error", "three") + "]");
    try (TcpProxy proxy = new TcpProxy(base.getHost(), base.getPort())) {
      String viaProxy = "http://127.0.0.1:" + proxy.port() + base.getPath();
      Process cli =
          new ProcessBuilder(
                  "node", "bin/status-messenger-tail.mjs", viaProxy, task, "--key", KEY, "--lines", "2",
                  "--color", "--heartbeat", "1")
              .start();
      try {
        java.util.concurrent.BlockingQueue<String> out = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread reader =
            new Thread(
                () -> new java.io.BufferedReader(new java.io.InputStreamReader(cli.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))
                    .lines().forEach(out::add));
        reader.setDaemon(true);
        reader.start();
        Thread notes = // what the viewer says of its connection, for the failure message
            new Thread(
                () -> new java.io.BufferedReader(new java.io.InputStreamReader(cli.getErrorStream(), java.nio.charset.StandardCharsets.UTF_8))
                    .lines().forEach(viewerNotes::add));
        notes.setDaemon(true);
        notes.start();
        assertTrue(nextLine(out).contains("two"), "the tail: the last 2 lines");
        String error = nextLine(out);
        assertTrue(error.contains("three") && error.contains("\u001b[31m"), "errors in red: " + error);
        postLogs(task, line("warning", "four"));
        assertTrue(nextLine(out).contains("four"));
        proxy.dropAll(); // an abrupt network drop: no close frame
        postLogs(task, line("info", "five"));
        postLogs(task, line("info", "six"));
        assertTrue(nextLine(out).contains("five"), "resumed after the drop");
        assertTrue(nextLine(out).contains("six"));
        proxy.freezeAll(); // a silent loss, half-open TCP: only the viewer's heartbeat can tell
        postLogs(task, line("info", "seven"));
        postLogs(task, line("info", "eight"));
        assertTrue(nextLine(out).contains("seven"), "resumed after the heartbeat went unanswered");
        assertTrue(nextLine(out).contains("eight"));
        assertTrue(viewerNotes.stream().anyMatch(n -> n.contains("no answer to the heartbeat")), viewerNotes.toString());
        postLogs(task, line("info", "nine"));
        assertTrue(nextLine(out).contains("nine"));
        assertEquals(null, out.poll(500, java.util.concurrent.TimeUnit.MILLISECONDS), "nothing printed twice");
      } finally {
        cli.destroy();
        cli.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
  }

  private final List<String> viewerNotes = new java.util.concurrent.CopyOnWriteArrayList<>();

  private String nextLine(java.util.concurrent.BlockingQueue<String> out) throws InterruptedException {
    String line = out.poll(20, java.util.concurrent.TimeUnit.SECONDS);
    if (line == null) {
      throw new AssertionError("the viewer printed nothing within 20 s; it said: " + viewerNotes);
    }
    return line;
  }

  private static List<Integer> seqs(JsonObject page) {
    return page.getJsonArray("lines").stream().map(JsonValue::asJsonObject).map(l -> l.getInt("seq")).toList();
  }

  private static void assertProblem(HttpResponse<String> r, int status, String detailPart) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
    assertTrue(Http.json(r).getString("detail", "").contains(detailPart), r.body());
  }
}
