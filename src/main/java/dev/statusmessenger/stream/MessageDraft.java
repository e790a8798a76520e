package dev.statusmessenger.stream;

import dev.statusmessenger.wire.Frames;
import dev.statusmessenger.wire.FrameType;
import jakarta.json.JsonObject;
import java.time.Instant;

/** A validated message not yet ordered: its stream gives it a {@code seq} and a timestamp. */
public sealed interface MessageDraft {

  Message seal(String stream, long seq, Instant ts);

  /** A new current status. */
  record Status(String text) implements MessageDraft {
    @Override
    public Message seal(String stream, long seq, Instant ts) {
      return new Message(
          stream, seq, ts, FrameType.STATUS, text, null, null, Frames.status(text, seq, ts),
          System.nanoTime());
    }
  }

  /** A structured agent event. */
  record Event(String eventType, JsonObject data) implements MessageDraft {
    @Override
    public Message seal(String stream, long seq, Instant ts) {
      return new Message(
          stream, seq, ts, FrameType.EVENT, null, eventType, data,
          Frames.event(eventType, data, seq, ts), System.nanoTime());
    }
  }
}
