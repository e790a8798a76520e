package dev.statusmessenger.stream;

import dev.statusmessenger.LogLevel;
import dev.statusmessenger.wire.Frames;
import jakarta.json.JsonObject;
import java.time.Instant;

/** What a message says, validated but not yet ordered: a stream gives it a {@code seq} and a time. */
public sealed interface MessageDraft {

  /** Encodes the frame for this content at its place in a stream. */
  String frame(String stream, long seq, Instant ts);

  /** Orders the draft into a message of a stream. */
  default Message seal(String stream, long seq, Instant ts) {
    return new Message(stream, seq, ts, this, frame(stream, seq, ts), System.nanoTime());
  }

  /** A new current status. */
  record Status(String text) implements MessageDraft {
    @Override
    public String frame(String stream, long seq, Instant ts) {
      return Frames.status(text, seq, ts);
    }
  }

  /** A structured agent event. */
  record Event(String eventType, JsonObject data) implements MessageDraft {
    @Override
    public String frame(String stream, long seq, Instant ts) {
      return Frames.event(eventType, data, seq, ts);
    }
  }

  /**
   * A task log line. In each log it lands in (its task's, then each ancestor's), the frame's
   * {@code task} names that log and {@code source_task} the task that wrote it.
   *
   * @param task the task that wrote it
   */
  record Log(String task, LogLevel level, String message, JsonObject metadata) implements MessageDraft {
    @Override
    public String frame(String stream, long seq, Instant ts) {
      return Frames.log(StreamKeys.idOf(stream), task, level.wireName(), message, metadata, seq, ts);
    }
  }
}
