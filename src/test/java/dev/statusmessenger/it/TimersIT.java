package dev.statusmessenger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Timers on a Payara Micro whose history and task logs live 3 seconds and whose pings come every second (the container
 * {@code payara-micro-short-timers}): idle sessions and tasks are freed, and an old cursor gets a
 * {@code reset}, never a silent gap.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TimersIT {

  static final String KEY = SessionMessagingIT.PRODUCER_KEY;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.product();
  }

  @ArquillianResource URL base;

  @BeforeEach
  void overLoopback() {
    base = Deployments.loopback(base);
  }

  @Test
  void anIdleTaskIsForgottenAndItsMemoryFreed() throws Exception {
    Http http = new Http(base);
    String task = http.createTask("short-lived", null, null, KEY);
    assertEquals(202, http.post("api/v1/tasks/" + task + "/logs", "{\"level\":\"info\",\"message\":\"x\"}", KEY).statusCode());
    awaitStatus(http, "api/v1/tasks/" + task, KEY, 404);
    assertEquals(404, http.post("api/v1/tasks/" + task + "/logs", "{\"level\":\"info\",\"message\":\"x\"}", KEY).statusCode());
  }

  @Test
  void anOldCursorGetsResetAfterHistoryExpired() throws Exception {
    Http http = new Http(base);
    Http.Session s = http.createSession();
    String status = "api/v1/sessions/" + s.id() + "/status";
    http.post(status, "{\"message\":\"one\"}", KEY);
    http.post(status, "{\"message\":\"two\"}", KEY);
    awaitStatus(http, "api/v1/sessions/" + s.id() + "/messages", s.token(), 404);
    try (TestSocket socket = TestSocket.open(base, s.id())) {
      socket.auth(s.token(), 1L, false);
      assertEquals("ready", socket.next().getString("type"));
      JsonObject reset = socket.next();
      assertEquals("reset", reset.getString("type"), "a cursor the server no longer covers gets reset");
    }
  }

  @Test
  void aTaskViewerWithACursorOlderThanHistoryGetsResetThenLiveLines() throws Exception {
    Http http = new Http(base);
    String task = http.createTask("long-running", null, null, KEY);
    String logs = "api/v1/tasks/" + task + "/logs";
    http.post(logs, "{\"level\":\"info\",\"message\":\"early\"}", KEY);
    // keep the task alive while its first line ages out of the 3 s history
    for (int i = 0; i < 20 && !Http.json(http.get(logs + "?since=0", KEY)).getBoolean("reset"); i++) {
      Thread.sleep(250);
      http.post(logs, "{\"level\":\"debug\",\"message\":\"tick\"}", KEY);
    }
    try (TestSocket viewer = TestSocket.openTask(base, task)) {
      viewer.auth(KEY, 0L, false);
      assertEquals("ready", viewer.next().getString("type"));
      JsonObject reset = viewer.next();
      assertEquals("reset", reset.getString("type"));
      assertEquals(task, reset.getString("task"));
      http.post(logs, "{\"level\":\"info\",\"message\":\"after\"}", KEY);
      assertEquals("after", viewer.nextOfType("log").getString("message"));
    }
  }

  @Test
  void aPeerThatNeverAnswersPingsIsClosedAndForgotten() throws Exception {
    Http http = new Http(base);
    Http.Session s = http.createSession();
    try (RawWebSocket silent = RawWebSocket.open(base, "ws/" + s.id())) {
      silent.sendText("{\"type\":\"auth\",\"token\":\"" + s.token() + "\"}");
      // pings come every second here; a peer silent for two intervals is closed
      assertEquals(1001, silent.readUntilClosed(30), "closed for not answering pings");
    }
    awaitNoSockets(); // and forgotten: the node counts no socket any more
    // a client that answers pings stays
    try (TestSocket alive = TestSocket.ready(base, s.id(), s.token())) {
      Thread.sleep(3500);
      alive.send("{\"type\":\"ping\"}");
      assertEquals("pong", alive.nextOfType("pong").getString("type"));
    }
  }

  @Test
  void eachSocketIsPingedOnItsOwnTurnNotAllInOneBurst() throws Exception {
    // 40 sockets that answer pings; pings come every second here, in turns of 100 ms. Pings that
    // were waiting before the measure starts are answered and skipped; of the next ping each socket
    // reads, no 20 ms holds more than a few turns' share (one burst once held them all; sockets
    // opened in a row take the turns in order, 4 to a turn here).
    int count = 40;
    Http http = new Http(base);
    List<RawWebSocket> sockets = new ArrayList<>();
    ExecutorService readers = Executors.newFixedThreadPool(count);
    try {
      for (int i = 0; i < count; i++) {
        Http.Session s = http.createSession();
        RawWebSocket socket = RawWebSocket.open(base, "ws/" + s.id());
        sockets.add(socket);
        socket.sendText("{\"type\":\"auth\",\"token\":\"" + s.token() + "\"}");
        assertEquals("ready", Json.createReader(new StringReader(socket.nextText())).readObject().getString("type"));
      }
      long from = System.nanoTime() + 50_000_000L;
      List<Future<Long>> pings = new ArrayList<>();
      for (RawWebSocket socket : sockets) {
        pings.add(readers.submit(() -> {
          long read;
          do {
            read = socket.answerNextPing();
          } while (read >= 0 && read < from);
          return read;
        }));
      }
      List<Long> at = new ArrayList<>();
      for (Future<Long> ping : pings) {
        long read = ping.get(10, TimeUnit.SECONDS);
        assertTrue(read >= 0, "a socket that answers pings was closed");
        at.add(read);
      }
      Collections.sort(at);
      int most = 0;
      for (int i = 0, j = 0; j < at.size(); j++) {
        while (at.get(j) - at.get(i) > 20_000_000L) {
          i++;
        }
        most = Math.max(most, j - i + 1);
      }
      assertTrue(most <= 12, most + " of " + count + " sockets were pinged within 20 ms: " + offsetsMillis(at));
    } finally {
      readers.shutdownNow();
      for (RawWebSocket socket : sockets) {
        socket.close();
      }
    }
  }

  private static List<Long> offsetsMillis(List<Long> nanos) {
    return nanos.stream().map(t -> (t - nanos.get(0)) / 1_000_000L).toList();
  }

  /** Polls the connections gauge until it reads 0; bounded, so the test stops by itself. */
  private void awaitNoSockets() throws InterruptedException {
    double open = -1;
    for (int i = 0; i < 40; i++) {
      open = Metrics.of(base).value("status_messenger_connections", "");
      if (open == 0) {
        return;
      }
      Thread.sleep(250);
    }
    fail("the node still counts " + open + " sockets 10 s after the last one closed");
  }

  /** Polls until the path answers the status; bounded, so the test stops by itself. */
  private static void awaitStatus(Http http, String path, String bearer, int expected) throws InterruptedException {
    HttpResponse<String> last = null;
    for (int i = 0; i < 60; i++) {
      last = http.get(path, bearer);
      if (last.statusCode() == expected) {
        return;
      }
      Thread.sleep(250);
    }
    fail("still " + last.statusCode() + " after 15 s: " + last.body());
  }
}
