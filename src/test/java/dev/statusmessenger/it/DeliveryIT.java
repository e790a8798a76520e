package dev.statusmessenger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statusmessenger.it.probe.IdleProbeEndpoint;
import jakarta.json.JsonObject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Delivery guarantees under stress on a real Payara Micro: exactly once and in order across abrupt
 * network drops, slow readers contained (statuses coalesce, events and log lines are never dropped:
 * 1013 and resume), and a stalled reader never holds up a normal one.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DeliveryIT {

  static final String KEY = SessionMessagingIT.PRODUCER_KEY;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.productWithProbes();
  }

  @ArquillianResource URL base;

  private Http http() {
    return new Http(base);
  }

  private static String lines(int from, int to, int pad) {
    String padding = "p".repeat(pad);
    return IntStream.rangeClosed(from, to)
        .mapToObj(i -> "{\"level\":\"info\",\"message\":\"" + i + " " + padding + "\"}")
        .collect(Collectors.joining(",", "[", "]"));
  }

  private static int lineNumber(JsonObject log) {
    String message = log.getString("message");
    int space = message.indexOf(' ');
    return Integer.parseInt(space < 0 ? message : message.substring(0, space));
  }

  @Test
  void everyLineArrivesExactlyOnceInOrderAcrossAbruptDrops() throws Exception {
    String task = http().createTask("drops", null, null, KEY);
    int total = 5000;
    try (TcpProxy proxy = new TcpProxy(base.getHost(), base.getPort())) {
      URL viaProxy = new URL("http://127.0.0.1:" + proxy.port() + base.getPath());
      AtomicBoolean producing = new AtomicBoolean(true);
      Thread producer =
          new Thread(
              () -> {
                for (int from = 1; from <= total; from += 50) {
                  http().post("api/v1/tasks/" + task + "/logs", lines(from, from + 49, 0), KEY);
                  sleep(15);
                }
                producing.set(false);
              });
      Thread dropper =
          new Thread(
              () -> {
                while (producing.get()) {
                  sleep(300);
                  proxy.dropAll();
                }
              });
      producer.start();
      dropper.start();
      List<Integer> received = new ArrayList<>(total);
      long cursor = 0;
      int connections = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (received.size() < total && System.nanoTime() < deadline) {
        connections++;
        try (TestSocket viewer = TestSocket.open(TestSocket.wsUri(viaProxy, "ws/tasks/" + task), null)) {
          viewer.auth(KEY, cursor, false);
          long lastFrame = System.nanoTime();
          while (received.size() < total && System.nanoTime() < deadline) {
            JsonObject frame = viewer.poll(Duration.ofMillis(200));
            if (frame == null) {
              // A cut TCP connection is not always reported to the JDK client: like a real client's
              // heartbeat, two silent seconds count as a dead connection, and it reconnects.
              if (viewer.isClosed() || System.nanoTime() - lastFrame > Duration.ofSeconds(2).toNanos()) {
                break;
              }
              continue;
            }
            lastFrame = System.nanoTime();
            if ("log".equals(frame.getString("type"))) {
              long seq = frame.getJsonNumber("seq").longValue();
              assertEquals(cursor + 1, seq, "no gap and no duplicate after " + cursor);
              cursor = seq;
              received.add(lineNumber(frame));
            } else {
              assertTrue(frame.getString("type").equals("ready"), "unexpected " + frame);
            }
          }
        } catch (RuntimeException dropDuringHandshake) {
          sleep(50);
        }
      }
      producer.join();
      dropper.join();
      assertEquals(IntStream.rangeClosed(1, total).boxed().toList(), received);
      assertTrue(connections > 3, "the connection was really dropped (" + connections + " connections)");
    }
  }

  @Test
  void websocketExecutorFixIsAppliedOnThisPayara() {
    // Fails when a Payara upgrade changes the Tyrus internals the fix relies on: see
    // TyrusIdleTimeoutFix and docs/performance.md before removing or adapting it.
    assertEquals("applied", http().get("api/v1/probe/tyrus-executor-fix", null).body().trim());
  }

  @Test
  void containerIdleTimeoutStillClosesSilentSocketsAndSendsPostponeIt() throws Exception {
    try (TestSocket socket = TestSocket.open(TestSocket.wsUri(base, "probe/idle"), null)) {
      long busyUntil = System.nanoTime() + Duration.ofMillis(3 * IdleProbeEndpoint.IDLE_MILLIS).toNanos();
      int echoes = 0;
      while (System.nanoTime() < busyUntil) {
        socket.send("{\"type\":\"echo\",\"n\":" + (++echoes) + "}");
        assertEquals(echoes, socket.nextOfType("echo").getInt("n"), "echo " + echoes);
        sleep(IdleProbeEndpoint.IDLE_MILLIS / 4);
      }
      assertTrue(!socket.isClosed(), "a socket that kept sending for twice the idle timeout stays open");
      socket.awaitClose(); // silent now: the container's idle timeout closes it
    }
  }

  /** Sockets the server holds for a session or a task ({@code task=...}). */
  private int connections(String query) {
    return Integer.parseInt(http().get("api/v1/probe/connections?" + query, null).body().trim());
  }

  /**
   * Runs {@code round} until the server has closed one of {@code before} sockets, at most {@code
   * maxRounds} times; the stalled reader's TCP buffers take megabytes first. Returns the rounds run.
   */
  private int produceUntilClosed(String query, int before, int maxRounds, Runnable round) {
    for (int rounds = 1; rounds <= maxRounds; rounds++) {
      round.run();
      if (connections(query) < before) {
        return rounds;
      }
    }
    throw new AssertionError("the server never closed the stalled reader after " + maxRounds + " rounds");
  }

  /**
   * The server closes a stalled reader with 1013; a reader whose TCP window is full cannot take the
   * close frame behind the data it never read, so its side may only see the connection cut (1006).
   * Either way the client resumes from its cursor.
   */
  private static void assertClosedForResume(int clientCloseCode) {
    assertTrue(clientCloseCode == 1013 || clientCloseCode == 1006, "closed to resume: " + clientCloseCode);
  }

  @Test
  void aStalledReaderNeverHoldsUpAnotherTabAndIsClosedWith1013() {
    Http.Session s = http().createSession();
    try (TestSocket normal = TestSocket.ready(base, s.id(), s.token());
        TestSocket stalled = TestSocket.ready(base, s.id(), s.token())) {
      stalled.pause();
      int perRound = 1000;
      int rounds =
          produceUntilClosed("session=" + s.id(), 2, 40, () -> assertEquals(202,
              http().post("api/v1/probe/burst?session=" + s.id() + "&n=" + perRound + "&pad=4000", "", null).statusCode()));
      List<JsonObject> got = normal.take(rounds * perRound, "event");
      for (int i = 0; i < got.size(); i++) {
        assertEquals(i % perRound + 1, got.get(i).getJsonObject("data").getInt("i"), "the normal tab got all, in order");
      }
      stalled.resume();
      int taken = 0;
      JsonObject frame;
      while ((frame = stalled.poll(Duration.ofSeconds(5))) != null) {
        assertEquals(taken % perRound + 1, frame.getJsonObject("data").getInt("i"), "an unbroken prefix");
        taken++;
      }
      assertTrue(taken < rounds * perRound, "the stalled reader was closed before it had all: " + taken);
      assertEquals("[1013]", http().get("api/v1/probe/closes?session=" + s.id(), null).body(),
          "events are never dropped: the server closes the reader with 1013, to resume");
      assertClosedForResume(stalled.awaitClose());
    }
  }

  @Test
  void aStalledLogReaderIsClosedWith1013AndResumesWithNothingMissed() {
    String task = http().createTask("stall", null, null, KEY);
    int perRound = 100;
    int[] next = {1};
    long cursor = 0;
    List<Integer> received = new ArrayList<>();
    int total;
    try (TestSocket stalled = TestSocket.openTask(base, task)) {
      stalled.auth(KEY, null, false);
      assertEquals("ready", stalled.next().getString("type"));
      stalled.pause();
      produceUntilClosed("task=" + task, 1, 100, () -> {
        assertEquals(202, http().post("api/v1/tasks/" + task + "/logs", lines(next[0], next[0] + perRound - 1, 8000), KEY).statusCode());
        next[0] += perRound;
      });
      total = next[0] - 1;
      stalled.resume();
      JsonObject frame;
      while ((frame = stalled.poll(Duration.ofSeconds(5))) != null) {
        assertEquals(cursor + 1, frame.getJsonNumber("seq").longValue());
        cursor = frame.getJsonNumber("seq").longValue();
        received.add(lineNumber(frame));
      }
      assertClosedForResume(stalled.awaitClose());
    }
    assertTrue(cursor < total, "it fell behind before it was closed");
    try (TestSocket again = TestSocket.openTask(base, task)) {
      again.auth(KEY, cursor, false);
      assertEquals("ready", again.next().getString("type"));
      for (JsonObject log : again.take(total - (int) cursor, "log")) {
        received.add(lineNumber(log));
      }
    }
    assertEquals(IntStream.rangeClosed(1, total).boxed().toList(), received, "every line once, in order");
  }

  @Test
  void aStalledReadersPendingStatusesCoalesceToTheLatest() {
    Http.Session s = http().createSession();
    try (TestSocket stalled = TestSocket.ready(base, s.id(), s.token())) {
      stalled.pause();
      int n = 40000;
      http().post("api/v1/probe/burst?session=" + s.id() + "&n=" + n + "&type=status&pad=4000", "", null);
      stalled.resume();
      int count = 0;
      String last = null;
      JsonObject frame;
      while ((frame = stalled.poll(Duration.ofSeconds(3))) != null) {
        count++;
        last = frame.getString("data");
      }
      assertTrue(last != null && last.startsWith("status " + n + "x"), "the latest status arrives");
      assertTrue(count < n, "older pending statuses were coalesced: " + count + " of " + n);
      assertEquals(null, stalled.closeCodeIfClosed(), "statuses never close a slow reader");
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
