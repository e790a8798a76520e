package dev.statusmessenger.stream;

import java.time.Instant;

/**
 * One message of a stream, ordered and encoded: its {@code seq}, its timestamp and the JSON frame
 * every connection sends as it is.
 *
 * @param stream the key of the stream it belongs to (see {@link StreamKeys})
 * @param seq its position in that stream, from 1
 * @param ts when the stream ordered it
 * @param content what it says: a status, an event or a log line
 * @param frame the encoded WebSocket frame
 * @param acceptedNanos {@link System#nanoTime()} when it was accepted, for latency metrics
 */
public record Message(
    String stream, long seq, Instant ts, MessageDraft content, String frame, long acceptedNanos) {

  public boolean isStatus() {
    return content instanceof MessageDraft.Status;
  }

  /** The status text, for a status; null otherwise. */
  public String text() {
    return content instanceof MessageDraft.Status status ? status.text() : null;
  }
}
