package dev.statusmessenger.wire;

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

  private static final JsonGeneratorFactory GENERATORS = JsonPlatform.JSON.createGeneratorFactory(Map.of());

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

  /**
   * An event frame around data already encoded as JSON text (encoded once per message, however
   * many frames and sockets carry it).
   */
  public static String event(String eventType, String dataJson, long seq, Instant ts) {
    String type = quoted(eventType);
    return new StringBuilder(80 + type.length() + dataJson.length())
        .append("{\"type\":\"event\",\"event_type\":").append(type)
        .append(",\"data\":").append(dataJson)
        .append(",\"seq\":").append(seq)
        .append(",\"ts\":\"").append(ts).append("\"}")
        .toString();
  }

  /**
   * A log line in the log of {@code task}, written by {@code sourceTask} (the same task, or one of
   * its subtasks), around metadata already encoded as JSON text.
   */
  public static String log(
      String task, String sourceTask, String level, String message, String metadataJson, long seq,
      Instant ts) {
    String text = quoted(message);
    return new StringBuilder(120 + task.length() + sourceTask.length() + text.length() + metadataJson.length())
        .append("{\"type\":\"log\",\"task\":").append(quoted(task))
        .append(",\"source_task\":").append(quoted(sourceTask))
        .append(",\"level\":").append(quoted(level))
        .append(",\"message\":").append(text)
        .append(",\"metadata\":").append(metadataJson)
        .append(",\"seq\":").append(seq)
        .append(",\"ts\":\"").append(ts).append("\"}")
        .toString();
  }

  /**
   * A string as a JSON string literal, escaped by JSON-P (through the provider looked up once: the
   * static {@code Json.createValue} searches for the provider at every call).
   */
  private static String quoted(String value) {
    return JsonPlatform.JSON.createValue(value).toString();
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
