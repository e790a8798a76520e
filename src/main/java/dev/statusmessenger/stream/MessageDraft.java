package dev.statusmessenger.stream;

import dev.statusmessenger.LogLevel;
import dev.statusmessenger.wire.FrameType;
import dev.statusmessenger.wire.Frames;
import dev.statusmessenger.wire.JsonPlatform;
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

  /** The wire {@code type} of a message with this content. */
  static String typeOf(MessageDraft content) {
    if (content instanceof Status) {
      return FrameType.STATUS;
    }
    return content instanceof Event ? FrameType.EVENT : FrameType.LOG;
  }

  /** The content a message frame says: the frame carries all of it. */
  static MessageDraft fromFrame(String frame) {
    return fromFrame(JsonPlatform.parseObject(frame));
  }

  /** The content of a parsed message frame. */
  static MessageDraft fromFrame(JsonObject frame) {
    return switch (frame.getString("type")) {
      case FrameType.STATUS -> new Status(frame.getString("data"));
      case FrameType.EVENT -> new Event(frame.getString("event_type"), frame.getJsonObject("data"));
      case FrameType.LOG ->
          new Log(
              frame.getString("source_task"),
              LogLevel.fromWireName(frame.getString("level")).orElse(LogLevel.INFO),
              frame.getString("message"),
              frame.getJsonObject("metadata"));
      default -> throw new IllegalArgumentException("Not a message frame: " + frame.getString("type"));
    };
  }

  /** A new current status. */
  record Status(String text) implements MessageDraft {
    @Override
    public String frame(String stream, long seq, Instant ts) {
      return Frames.status(text, seq, ts);
    }
  }

  /**
   * A structured agent event.
   *
   * @param dataJson {@code data} as JSON text, encoded once: the size check, the frame and every
   *     socket share it
   */
  record Event(String eventType, String dataJson) implements MessageDraft {
    public Event(String eventType, JsonObject data) {
      this(eventType, data.toString());
    }

    /**
     * {@code data} parsed back from its text. A message keeps only the text: history holds many
     * messages, and a parsed object is several times its size for the garbage collector to copy.
     */
    public JsonObject data() {
      return JsonPlatform.parseObject(dataJson);
    }

    @Override
    public String frame(String stream, long seq, Instant ts) {
      return Frames.event(eventType, dataJson, seq, ts);
    }
  }

  /**
   * A task log line. In each log it lands in (its task's, then each ancestor's), the frame's
   * {@code task} names that log and {@code source_task} the task that wrote it.
   *
   * @param task the task that wrote it
   * @param metadataJson {@code metadata} as JSON text, encoded once for every log the line lands in
   */
  record Log(String task, LogLevel level, String message, String metadataJson) implements MessageDraft {
    public Log(String task, LogLevel level, String message, JsonObject metadata) {
      this(task, level, message, metadata.isEmpty() ? "{}" : metadata.toString());
    }

    /** {@code metadata} parsed back from its text (kept as text only, as an event's data). */
    public JsonObject metadata() {
      return JsonPlatform.parseObject(metadataJson);
    }

    @Override
    public String frame(String stream, long seq, Instant ts) {
      return Frames.log(StreamKeys.idOf(stream), task, level.wireName(), message, metadataJson, seq, ts);
    }
  }
}
