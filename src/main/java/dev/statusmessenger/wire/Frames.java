package dev.statusmessenger.wire;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Encodes server frames to their JSON text. A message is encoded once, when it is appended to its
 * stream; every connection then sends the same string.
 */
public final class Frames {

  private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());

  private Frames() {}

  public static String status(String text, long seq, Instant ts) {
    StringWriter out = new StringWriter(64 + text.length());
    try (JsonGenerator g = GENERATORS.createGenerator(out)) {
      g.writeStartObject()
          .write("type", FrameType.STATUS)
          .write("data", text)
          .write("seq", seq)
          .write("ts", ts.toString())
          .writeEnd();
    }
    return out.toString();
  }

  public static String event(String eventType, JsonObject data, long seq, Instant ts) {
    StringWriter out = new StringWriter(128);
    try (JsonGenerator g = GENERATORS.createGenerator(out)) {
      g.writeStartObject()
          .write("type", FrameType.EVENT)
          .write("event_type", eventType)
          .write("data", data)
          .write("seq", seq)
          .write("ts", ts.toString())
          .writeEnd();
    }
    return out.toString();
  }

  /**
   * A log line in the log of {@code task}, written by {@code sourceTask} (the same task, or one of
   * its subtasks).
   */
  public static String log(
      String task, String sourceTask, String level, String message, JsonObject metadata, long seq,
      Instant ts) {
    StringWriter out = new StringWriter(160 + message.length());
    try (JsonGenerator g = GENERATORS.createGenerator(out)) {
      g.writeStartObject()
          .write("type", FrameType.LOG)
          .write("task", task)
          .write("source_task", sourceTask)
          .write("level", level)
          .write("message", message)
          .write("metadata", metadata)
          .write("seq", seq)
          .write("ts", ts.toString())
          .writeEnd();
    }
    return out.toString();
  }

  public static String ready(String streamField, String streamId, long seq) {
    StringWriter out = new StringWriter(64);
    try (JsonGenerator g = GENERATORS.createGenerator(out)) {
      g.writeStartObject()
          .write("type", FrameType.READY)
          .write(streamField, streamId)
          .write("seq", seq)
          .writeEnd();
    }
    return out.toString();
  }

  public static String pong() {
    return "{\"type\":\"pong\"}";
  }

  public static String reset(long seq) {
    return "{\"type\":\"reset\",\"seq\":" + seq + "}";
  }

  /** A reset of a task's log, on a socket that may carry several streams. */
  public static String reset(String task, long seq) {
    StringWriter out = new StringWriter(64);
    try (JsonGenerator g = GENERATORS.createGenerator(out)) {
      g.writeStartObject().write("type", FrameType.RESET).write("task", task).write("seq", seq).writeEnd();
    }
    return out.toString();
  }

  /**
   * An error frame for a client message that was wrong.
   *
   * @param messageType the {@code type} of the offending client message, or null where it had none
   */
  public static String error(String code, String message, String messageType) {
    StringWriter out = new StringWriter(96);
    try (JsonGenerator g = GENERATORS.createGenerator(out)) {
      g.writeStartObject().write("type", FrameType.ERROR).write("code", code).write("message", message);
      if (messageType != null) {
        g.write("message_type", messageType);
      }
      g.writeEnd();
    }
    return out.toString();
  }

  /** Several encoded frames as one {@code batch} frame, in order. */
  public static String batch(List<String> frames) {
    int size = 32;
    for (String frame : frames) {
      size += frame.length() + 1;
    }
    StringBuilder out = new StringBuilder(size).append("{\"type\":\"batch\",\"messages\":[");
    for (int i = 0; i < frames.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(frames.get(i));
    }
    return out.append("]}").toString();
  }
}
