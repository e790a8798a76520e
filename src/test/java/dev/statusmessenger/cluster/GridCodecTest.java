package dev.statusmessenger.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.statusmessenger.LogLevel;
import dev.statusmessenger.stream.Message;
import dev.statusmessenger.stream.MessageDraft;
import dev.statusmessenger.stream.StreamKeys;
import dev.statusmessenger.wire.FrameType;
import jakarta.json.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GridCodecTest {

  private static final Instant TS = Instant.parse("2026-01-02T03:04:05.678Z");

  @Test
  void aMessageCrossesTheTopicWithItsStreamFrameAndContent() {
    Message status = new MessageDraft.Status("Searching\nflights \"now\"").seal("s-1", 7, TS);
    Message back = GridCodec.fromBus(GridCodec.toBus(status));
    assertEquals("s-1", back.stream());
    assertEquals(7, back.seq());
    assertEquals(TS, back.ts());
    assertEquals(status.frame(), back.frame(), "the same bytes go to every socket");
    assertEquals(status.type(), back.type());
    assertEquals(status.content(), back.content(), "decoded from the frame when asked");
    assertEquals("Searching\nflights \"now\"", back.text());
    assertEquals("s-1", GridCodec.streamOnBus(GridCodec.toBus(status)));

    String task = StreamKeys.task("t-1");
    Message line = new MessageDraft.Log("t-1", LogLevel.INFO, "step 2", Json.createObjectBuilder().add("step", 2).build()).seal(task, 12, TS);
    Message lineBack = GridCodec.fromBus(GridCodec.toBus(line));
    assertEquals(task, lineBack.stream());
    assertEquals(12, lineBack.seq());
    assertEquals("log", lineBack.type());
    assertEquals(line.content(), lineBack.content());
    assertEquals(task, GridCodec.streamOnBus(GridCodec.toBus(line)));
  }

  @Test
  void aTopicPayloadWithAnUnknownTypeIsRefusedNotDelivered() {
    Message status = new MessageDraft.Status("x").seal("s-1", 1, TS);
    String forged = GridCodec.toBus(status).replace("\nstatus\n", "\nready\n");
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> GridCodec.fromBus(forged));
    assertEquals("Not a message type: ready", refused.getMessage());
    assertSame(FrameType.STATUS, GridCodec.fromBus(GridCodec.toBus(status)).type(), "the constant, not a copy");
  }

  @Test
  void eventsAndLogLinesKeepTheirFields() {
    var data = Json.createObjectBuilder().add("tool", "calculator").add("n", 4).build();
    Message event = new MessageDraft.Event("tool_interaction", data).seal("s-1", 1, TS);
    assertEquals(event.content(), GridCodec.fromFrame("s-1", event.frame()).content());

    String log = StreamKeys.task("parent");
    Message line =
        new MessageDraft.Log("child", LogLevel.WARNING, "disk at 91%", Json.createObjectBuilder().add("disk", "/").build())
            .seal(log, 3, TS);
    Message back = GridCodec.fromFrame(log, line.frame());
    assertEquals(line.content(), back.content(), "the writing subtask and level survive");
    assertEquals(line.frame(), back.frame());
  }

  @Test
  void aHistorySlotOverwrittenByALaterMessageIsNotMistakenForTheEarlierOne() {
    Message m = new MessageDraft.Status("x").seal("s", 105, TS);
    String slot = GridCodec.toSlot(m);
    Message back = GridCodec.messageInSlot(slot, 105);
    assertEquals(m.frame(), back.frame());
    assertEquals(105, back.seq());
    assertEquals(TS, back.ts());
    assertEquals(m.content(), back.content());
    assertNull(GridCodec.messageInSlot(slot, 5), "slot 5 of a ring of 100 now holds 105");
    assertFalse(GridCodec.slotHolds(slot, 5));
    assertNull(GridCodec.messageInSlot(null, 5));
  }
}
