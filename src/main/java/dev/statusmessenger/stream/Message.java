package dev.statusmessenger.stream;

import dev.statusmessenger.wire.FrameType;
import jakarta.json.JsonObject;
import java.time.Instant;

/**
 * One message of a stream, ordered and encoded: its {@code seq}, its timestamp and the JSON frame
 * every connection sends as it is.
 *
 * @param stream the session id the message belongs to
 * @param type {@link FrameType#STATUS} or {@link FrameType#EVENT}
 * @param text the status text, for a status
 * @param eventType the event type, for an event
 * @param data the event data, for an event
 * @param frame the encoded WebSocket frame
 * @param acceptedNanos {@link System#nanoTime()} when the message was accepted, for latency metrics
 */
public record Message(
    String stream,
    long seq,
    Instant ts,
    String type,
    String text,
    String eventType,
    JsonObject data,
    String frame,
    long acceptedNanos) {

  public boolean isStatus() {
    return FrameType.STATUS.equals(type);
  }
}
