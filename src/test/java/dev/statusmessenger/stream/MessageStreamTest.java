package dev.statusmessenger.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statusmessenger.config.MessengerConfig;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageStreamTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final StreamStore store =
      new StreamStore(
          MessengerConfig.of(
              Map.of("status-messenger.history-size", "5", "status-messenger.history-ttl", "1h")),
          clock);
  private final List<Message> dispatched = new ArrayList<>();

  private Message status(String text) {
    return store.append("s1", new MessageDraft.Status(text), dispatched::add);
  }

  private Message event(String type) {
    return store.append(
        "s1", new MessageDraft.Event(type, Json.createObjectBuilder().add("k", 1).build()), dispatched::add);
  }

  private static JsonObject parse(String frame) {
    return Json.createReader(new StringReader(frame)).readObject();
  }

  @Test
  void appendAssignsIncreasingSeqAndHandsMessagesOnInOrder() {
    status("a");
    event("e");
    status("b");
    assertEquals(List.of(1L, 2L, 3L), dispatched.stream().map(Message::seq).toList());
    assertEquals(3, store.find("s1").orElseThrow().seq());
  }

  @Test
  void statusFrameKeepsTheOriginalTypeAndDataShape() {
    JsonObject frame = parse(status("Searching flights…").frame());
    assertEquals("status", frame.getString("type"));
    assertEquals("Searching flights…", frame.getString("data"));
    assertEquals(1, frame.getInt("seq"));
    assertEquals("2026-01-01T00:00:00Z", frame.getString("ts"));
  }

  @Test
  void eventFrameCarriesTypeAndData() {
    JsonObject frame = parse(event("tool_interaction").frame());
    assertEquals("event", frame.getString("type"));
    assertEquals("tool_interaction", frame.getString("event_type"));
    assertEquals(1, frame.getJsonObject("data").getInt("k"));
  }

  @Test
  void newConnectionWithoutCursorGetsOnlyTheCurrentStatus() {
    status("a");
    status("b");
    event("e");
    Replay replay = store.replay("s1", null);
    assertFalse(replay.reset());
    assertEquals(3, replay.seq());
    assertEquals(List.of("b"), replay.messages().stream().map(Message::text).toList());
  }

  @Test
  void newConnectionToAnEmptySessionGetsNothingAtSeqZero() {
    Replay replay = store.replay("fresh", null);
    assertEquals(0, replay.seq());
    assertTrue(replay.messages().isEmpty());
  }

  @Test
  void resumeReplaysMissedMessagesInOrder() {
    for (int i = 1; i <= 4; i++) {
      status("s" + i);
    }
    Replay replay = store.replay("s1", 2L);
    assertFalse(replay.reset());
    assertEquals(List.of(3L, 4L), replay.messages().stream().map(Message::seq).toList());
  }

  @Test
  void resumeAtTheHeadReplaysNothing() {
    status("a");
    Replay replay = store.replay("s1", 1L);
    assertFalse(replay.reset());
    assertTrue(replay.messages().isEmpty());
  }

  @Test
  void historyIsBoundedInCount() {
    for (int i = 1; i <= 8; i++) {
      event("e" + i);
    }
    Page page = store.find("s1").orElseThrow().page(0, 100);
    assertEquals(List.of(4L, 5L, 6L, 7L, 8L), page.messages().stream().map(Message::seq).toList());
    assertTrue(page.reset(), "history no longer reaches back to 0");
  }

  @Test
  void resumeBeyondHistoryGetsResetAndTheCurrentStatus() {
    status("first");
    for (int i = 0; i < 7; i++) {
      event("e" + i);
    }
    Replay replay = store.replay("s1", 1L);
    assertTrue(replay.reset());
    assertEquals(8, replay.seq());
    assertEquals(List.of("first"), replay.messages().stream().map(Message::text).toList());
  }

  @Test
  void resumeFromTheFutureGetsReset() {
    status("a");
    Replay replay = store.replay("s1", 42L);
    assertTrue(replay.reset());
    assertEquals(1, replay.seq());
  }

  @Test
  void historyExpiresWithAgeAndResumeThenResets() {
    status("old");
    clock.advance(Duration.ofMinutes(61));
    status("new");
    Replay replay = store.replay("s1", 0L);
    assertTrue(replay.reset(), "the first message expired, so seq 1 cannot be replayed");
    Page page = store.find("s1").orElseThrow().page(1, 10);
    assertEquals(List.of(2L), page.messages().stream().map(Message::seq).toList());
    assertFalse(page.reset(), "from seq 1 on, history is whole");
  }

  @Test
  void pageGivesTheCursorToGoOnFrom() {
    for (int i = 0; i < 4; i++) {
      event("e" + i);
    }
    Page first = store.find("s1").orElseThrow().page(0, 2);
    assertEquals(2, first.seq());
    Page rest = store.find("s1").orElseThrow().page(first.seq(), 10);
    assertEquals(List.of(3L, 4L), rest.messages().stream().map(Message::seq).toList());
    assertEquals(4, rest.seq());
  }

  @Test
  void tailGivesTheLatestMatchingMessagesOldestFirst() {
    for (int i = 1; i <= 5; i++) {
      if (i % 2 == 0) {
        event("e" + i);
      } else {
        status("s" + i);
      }
    }
    Page tail = store.find("s1").orElseThrow().tail(2, Message::isStatus);
    assertEquals(List.of(3L, 5L), tail.messages().stream().map(Message::seq).toList());
    assertEquals(5, tail.seq());
  }

  @Test
  void aFilteredPageGoesOnFromTheLastMessageGivenOrTheHead() {
    for (int i = 1; i <= 5; i++) {
      status("s" + i);
    }
    MessageStream stream = store.find("s1").orElseThrow();
    Page odd = stream.page(0, 2, m -> m.seq() % 2 == 1);
    assertEquals(List.of(1L, 3L), odd.messages().stream().map(Message::seq).toList());
    assertEquals(3, odd.seq(), "the limit was reached: go on after the last one given");
    Page rest = stream.page(3, 10, m -> m.seq() % 2 == 1);
    assertEquals(List.of(5L), rest.messages().stream().map(Message::seq).toList());
    assertEquals(5, rest.seq());
  }

  @Test
  void taskLogsKeepTheirOwnBoundAndFramesNameTheLogAndTheWriter() {
    StreamStore tasks =
        new StreamStore(MessengerConfig.of(Map.of("status-messenger.task-history-size", "3")), clock);
    for (int i = 0; i < 5; i++) {
      tasks.append(
          StreamKeys.task("parent"),
          new MessageDraft.Log("child", dev.statusmessenger.LogLevel.ERROR, "m" + i, Json.createObjectBuilder().build()),
          m -> {});
    }
    Page page = tasks.find(StreamKeys.task("parent")).orElseThrow().page(0, 100);
    assertEquals(List.of(3L, 4L, 5L), page.messages().stream().map(Message::seq).toList());
    JsonObject frame = parse(page.messages().get(0).frame());
    assertEquals("log", frame.getString("type"));
    assertEquals("parent", frame.getString("task"));
    assertEquals("child", frame.getString("source_task"));
    assertEquals("error", frame.getString("level"));
  }

  @Test
  void keptMessagesSayTheSameAsTheOnesDispatched() {
    status("Booking…");
    store.append(
        "s1",
        new MessageDraft.Event("tool", Json.createObjectBuilder().add("k", 1).add("n", Json.createArrayBuilder().add("x")).build()),
        dispatched::add);
    StreamStore tasks = new StreamStore(MessengerConfig.of(Map.of()), clock);
    tasks.append(
        StreamKeys.task("parent"),
        new MessageDraft.Log("child", dev.statusmessenger.LogLevel.WARNING, "disk low", Json.createObjectBuilder().add("free", 3).build()),
        dispatched::add);
    List<Message> kept = new ArrayList<>(store.find("s1").orElseThrow().page(0, 10).messages());
    kept.addAll(tasks.find(StreamKeys.task("parent")).orElseThrow().page(0, 10).messages());
    assertEquals(3, kept.size());
    for (int i = 0; i < kept.size(); i++) {
      Message sent = dispatched.get(i);
      Message read = kept.get(i);
      assertNotSame(sent, read, "history keeps its own copy, without the content");
      assertEquals(sent.frame(), read.frame());
      assertEquals(sent.type(), read.type());
      assertEquals(sent.ts(), read.ts());
      assertEquals(sent.acceptedNanos(), read.acceptedNanos());
      assertEquals(sent.content(), read.content(), "decoded from the frame: " + read.frame());
    }
    assertEquals("Booking…", store.find("s1").orElseThrow().currentStatus().orElseThrow().text());
  }

  @Test
  void idleSessionsAreFreedAfterTheTtlUnlessInUse() {
    status("a");
    store.append("s2", new MessageDraft.Status("b"), m -> {});
    clock.advance(Duration.ofMinutes(30));
    assertEquals(0, store.expireIdle(id -> false), "nothing is idle for an hour yet");
    clock.advance(Duration.ofMinutes(31));
    assertEquals(1, store.expireIdle(id -> id.equals("s2")));
    assertTrue(store.find("s1").isEmpty());
    assertTrue(store.find("s2").isPresent(), "a session with a connection is kept");
  }

  @Test
  void aMessageAfterExpiryStartsAFreshStreamAndIsNotLost() {
    MessageStream old = store.stream("s1");
    status("a");
    clock.advance(Duration.ofHours(2));
    store.expireIdle(id -> false);
    // a producer that looked the stream up before it expired still lands in the live one
    Message m = old.append(new MessageDraft.Status("late"), x -> {});
    assertEquals(null, m, "a retired stream takes no messages");
    Message landed = status("late");
    assertNotSame(old, store.find("s1").orElseThrow());
    assertEquals("late", store.find("s1").orElseThrow().currentStatus().orElseThrow().text());
    assertEquals(1, landed.seq());
  }
}
