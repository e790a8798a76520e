package dev.statusmessenger.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statusmessenger.stream.Message;
import dev.statusmessenger.stream.MessageDraft;
import dev.statusmessenger.stream.Replay;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionTest {

  private final FakeSocket socket = new FakeSocket();

  private Connection connection(int queueLimit) {
    return new Connection(socket.session, "s1", "session", "s1", queueLimit, Runnable::run);
  }

  /** A plain connection that has sent its {@code ready} and has nothing in flight. */
  private Connection readyIdleConnection() {
    Connection c = connection(10);
    start(c, 0, List.of(), false);
    socket.completeAll();
    return c;
  }

  private static Message status(long seq) {
    return new MessageDraft.Status("status " + seq).seal("s1", seq, Instant.EPOCH);
  }

  private static Message event(long seq) {
    return new MessageDraft.Event("e", Json.createObjectBuilder().build()).seal("s1", seq, Instant.EPOCH);
  }

  private static void start(Connection c, long seq, List<Message> replay, boolean batch) {
    c.start(batch, () -> true, () -> new Replay(seq, false, replay));
  }

  private static JsonObject json(String frame) {
    return Json.createReader(new StringReader(frame)).readObject();
  }

  private List<Long> sentSeqs() {
    return socket.sent().stream().map(ConnectionTest::json).filter(o -> o.containsKey("seq"))
        .filter(o -> !o.getString("type").equals("ready")).map(o -> o.getJsonNumber("seq").longValue())
        .toList();
  }

  @Test
  void readyComesFirstThenTheReplayThenLiveMessages() {
    Connection c = connection(10);
    start(c, 3, List.of(status(3)), false);
    c.offer(event(4));
    socket.completeAll();
    assertEquals("ready", json(socket.sent().get(0)).getString("type"));
    assertEquals(3, json(socket.sent().get(0)).getInt("seq"));
    assertEquals(List.of(3L, 4L), sentSeqs());
  }

  @Test
  void messagesAtOrBeforeTheCursorAreNotSentTwice() {
    Connection c = connection(10);
    start(c, 5, List.of(), false);
    c.offer(event(4));
    c.offer(event(5));
    c.offer(event(6));
    socket.completeAll();
    assertEquals(List.of(6L), sentSeqs());
  }

  @Test
  void pendingStatusFramesCoalesceToTheLatest() {
    Connection c = connection(10);
    start(c, 0, List.of(), false); // "ready" is now in flight and not completed
    c.offer(status(1));
    c.offer(status(2));
    c.offer(event(3));
    c.offer(status(4));
    socket.completeAll();
    assertEquals(List.of(3L, 4L), sentSeqs(), "statuses 1 and 2 were superseded while waiting");
    assertEquals(2, c.coalesced());
  }

  @Test
  void eventsAreNeverDroppedAFullQueueClosesWith1013() {
    Connection c = connection(3);
    start(c, 0, List.of(), false);
    for (long seq = 1; seq <= 3; seq++) {
      c.offer(event(seq));
    }
    assertNull(socket.closedWith, "three pending events fit");
    c.offer(event(4));
    assertNotNull(socket.closedWith);
    assertEquals(1013, socket.closedWith.getCloseCode().getCode());
  }

  @Test
  void aStatusFloodNeverOverflowsTheQueue() {
    Connection c = connection(3);
    start(c, 0, List.of(), false);
    for (long seq = 1; seq <= 1000; seq++) {
      c.offer(status(seq));
    }
    assertNull(socket.closedWith);
    socket.completeAll();
    assertEquals(List.of(1000L), sentSeqs());
  }

  @Test
  void sendsCompletingOnTheCallersStackDoNotRecurse() {
    socket.completeInline = true;
    Connection c = connection(200_000);
    start(c, 0, List.of(), false);
    for (long seq = 1; seq <= 50_000; seq++) {
      c.offer(event(seq));
    }
    List<Long> seqs = sentSeqs();
    assertEquals(50_000, seqs.size());
    assertEquals(50_000L, seqs.get(49_999));
  }

  @Test
  void aBatchClientGetsPendingFramesInOneBatchFrameInOrder() {
    Connection c = connection(100);
    start(c, 0, List.of(), true); // ready in flight
    for (long seq = 1; seq <= 5; seq++) {
      c.offer(event(seq));
    }
    socket.completeAll();
    assertEquals(2, socket.sent().size(), "ready, then one batch");
    JsonObject batch = json(socket.sent().get(1));
    assertEquals("batch", batch.getString("type"));
    assertEquals(
        List.of(1L, 2L, 3L, 4L, 5L),
        batch.getJsonArray("messages").stream()
            .map(v -> v.asJsonObject().getJsonNumber("seq").longValue())
            .toList());
  }

  @Test
  void messagesHandedOverTogetherLeaveInOneBatchFrameEvenOnAnIdleSocket() {
    Connection c = connection(100);
    start(c, 0, List.of(), true);
    socket.completeAll(); // ready sent: nothing in flight, so an offer would go out alone
    assertTrue(c.takesBatches());
    for (long seq = 1; seq <= 5; seq++) {
      assertTrue(c.hold(event(seq)));
    }
    assertEquals(1, socket.sent().size(), "held, not yet sent");
    c.sendHeld();
    socket.completeAll();
    assertEquals(2, socket.sent().size(), "ready, then one batch");
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), json(socket.sent().get(1)).getJsonArray("messages").stream()
        .map(v -> v.asJsonObject().getJsonNumber("seq").longValue()).toList());
    assertTrue(!c.hold(event(5)), "a message at the cursor is not held again");
  }

  @Test
  void aPlainClientGetsOneMessagePerFrame() {
    Connection c = connection(100);
    start(c, 0, List.of(), false);
    for (long seq = 1; seq <= 5; seq++) {
      c.offer(event(seq));
    }
    socket.completeAll();
    assertEquals(6, socket.sent().size());
    assertTrue(socket.sent().stream().noneMatch(f -> f.contains("\"batch\"")));
  }

  private static Message log(String taskKey, long seq) {
    return new MessageDraft.Log("t1", dev.statusmessenger.LogLevel.INFO, "line " + seq, Json.createObjectBuilder().build())
        .seal(taskKey, seq, Instant.EPOCH);
  }

  @Test
  void aSubscriptionKeepsItsOwnCursorBesideTheSessions() {
    Connection c = connection(100);
    start(c, 2, List.of(), false);
    c.subscribe("task:t1", "t1", () -> true, () -> new Replay(5, false, List.of(log("task:t1", 5))));
    c.offer(log("task:t1", 5)); // already replayed
    c.offer(log("task:t1", 6));
    c.offer(event(3));
    c.offer(log("task:other", 7)); // not subscribed
    socket.completeAll();
    List<JsonObject> frames = socket.sent().stream().map(ConnectionTest::json).toList();
    assertEquals(List.of("ready", "ready", "log", "log", "event"), frames.stream().map(f -> f.getString("type")).toList());
    assertEquals("t1", frames.get(1).getString("task"));
    assertEquals(List.of(5L, 6L), frames.subList(2, 4).stream().map(f -> f.getJsonNumber("seq").longValue()).toList());
    assertEquals(List.of("s1", "task:t1"), c.streamKeys());
    assertTrue(c.unsubscribe("task:t1"));
    c.offer(log("task:t1", 8));
    socket.completeAll();
    assertEquals(5, socket.sent().size(), "no lines after unsubscribe");
  }

  @Test
  void aClosedConnectionSendsNothingMore() {
    Connection c = readyIdleConnection();
    c.closed();
    c.offer(event(1));
    c.sendControl("{\"type\":\"pong\"}");
    assertEquals(1, socket.sent().size(), "only ready was sent");
  }

  @Test
  void aPingWhileAFrameIsInFlightGoesRightAfterIt() {
    Connection c = readyIdleConnection();
    c.offer(event(1));
    c.offer(event(2));
    c.ping();
    assertEquals(2, socket.wire.size(), "ready and event 1 written, the ping waits: " + socket.wire);
    socket.completeOne();
    assertEquals("(ping)", socket.wire.get(2), "the ping goes before the next frame: " + socket.wire);
    socket.completeAll();
    assertEquals(List.of(1L, 2L), sentSeqs());
    assertEquals(1, socket.wire.stream().filter("(ping)"::equals).count());
  }

  @Test
  void anIdleConnectionIsPingedAtOnce() {
    Connection c = readyIdleConnection();
    c.ping();
    assertEquals("(ping)", socket.wire.get(socket.wire.size() - 1));
  }
}
