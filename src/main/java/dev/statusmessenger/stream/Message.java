package dev.statusmessenger.stream;

import dev.statusmessenger.wire.FrameType;
import dev.statusmessenger.wire.WebSocketFrame;
import java.time.Instant;
import java.util.Objects;

/**
 * One message of a stream, ordered and encoded: its {@code seq}, its timestamp and the JSON frame
 * every connection sends as it is.
 *
 * <p>History keeps no message objects ({@link History}): a message read back from it is
 * {@linkplain #kept made anew} without its content, which the rare reader of a kept message's
 * content (a filtered log page) decodes from the frame. Equality is identity, as a connection's
 * queue needs it.
 */
public final class Message {

  private final String stream;
  private final long seq;
  private final long tsMillis;
  private final String type;
  private final String frame;
  private final long acceptedNanos;
  /** Null in a history copy until asked for; decoding is idempotent, so a race only decodes twice. */
  private MessageDraft content;
  /**
   * The frame's bytes on the wire, made when its stream keeps it in history (or, for a message
   * from the cluster, at its first send) and shared by every socket that sends it; {@link #NOT_KEPT}
   * in a history copy, which sends rarely and keeps no second copy.
   */
  private volatile byte[] wire;

  private static final byte[] NOT_KEPT = new byte[0];

  /**
   * @param stream the key of the stream it belongs to (see {@link StreamKeys})
   * @param seq its position in that stream, from 1
   * @param ts when the stream ordered it, to the millisecond
   * @param content what it says: a status, an event or a log line
   * @param frame the encoded WebSocket frame
   * @param acceptedNanos {@link System#nanoTime()} when it was accepted, for latency metrics
   */
  public Message(
      String stream, long seq, Instant ts, MessageDraft content, String frame, long acceptedNanos) {
    this(stream, seq, ts.toEpochMilli(), MessageDraft.typeOf(content), content, frame, acceptedNanos);
  }

  private Message(
      String stream, long seq, long tsMillis, String type, MessageDraft content, String frame,
      long acceptedNanos) {
    this.stream = Objects.requireNonNull(stream);
    this.seq = seq;
    this.tsMillis = tsMillis;
    this.type = type;
    this.content = content;
    this.frame = Objects.requireNonNull(frame);
    this.acceptedNanos = acceptedNanos;
  }

  /**
   * A message another node ordered, rebuilt from what it carried: its content is decoded from the
   * frame only when asked (delivery needs only the frame), and its frame's bytes are encoded once
   * for every socket, as for a live message.
   *
   * @param type the wire type, one of {@link FrameType}'s
   */
  public static Message received(
      String stream, long seq, long tsMillis, String type, String frame, long acceptedNanos) {
    String known = FrameType.MESSAGE_TYPES.get(FrameType.messageTypeIndex(type)); // the constant, not a copy
    return new Message(stream, seq, tsMillis, known, null, frame, acceptedNanos);
  }

  /** A message read back from history: no content until asked, and its frame's bytes not kept. */
  static Message kept(String stream, long seq, long tsMillis, String type, String frame, long acceptedNanos) {
    Message copy = new Message(stream, seq, tsMillis, type, null, frame, acceptedNanos);
    copy.wire = NOT_KEPT;
    return copy;
  }

  public String stream() {
    return stream;
  }

  public long seq() {
    return seq;
  }

  public Instant ts() {
    return Instant.ofEpochMilli(tsMillis);
  }

  /** {@link #ts()} as epoch milliseconds, without making an {@code Instant}. */
  public long tsMillis() {
    return tsMillis;
  }

  /** The wire {@code type}: {@link FrameType#STATUS}, {@link FrameType#EVENT} or {@link FrameType#LOG}. */
  public String type() {
    return type;
  }

  /** What it says: a status, an event or a log line. */
  public MessageDraft content() {
    MessageDraft decoded = content;
    if (decoded == null) {
      decoded = MessageDraft.fromFrame(frame);
      content = decoded;
    }
    return decoded;
  }

  public String frame() {
    return frame;
  }

  /**
   * The frame as a WebSocket text frame's bytes ({@link WebSocketFrame#text}): encoded once for a
   * live message, by whichever asks first (its stream's history, or a socket); encoded at each call
   * for a history copy.
   */
  public byte[] wireFrame() {
    byte[] bytes = wire;
    if (bytes == NOT_KEPT) {
      return WebSocketFrame.text(frame);
    }
    if (bytes == null) {
      bytes = WebSocketFrame.text(frame); // a race only encodes twice
      wire = bytes;
    }
    return bytes;
  }

  public long acceptedNanos() {
    return acceptedNanos;
  }

  public boolean isStatus() {
    return FrameType.STATUS.equals(type);
  }

  /** The status text, for a status; null otherwise. */
  public String text() {
    return isStatus() && content() instanceof MessageDraft.Status status ? status.text() : null;
  }

  @Override
  public String toString() {
    return "Message[" + stream + " #" + seq + ' ' + frame + ']';
  }
}
