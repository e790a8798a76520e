package dev.statusmessenger.stream;

import dev.statusmessenger.wire.WebSocketFrame;
import java.nio.charset.StandardCharsets;

/**
 * A stream's kept messages, oldest first, packed into a few arrays that live as long as the stream:
 * each message's {@code seq}, times and type in parallel arrays, and its frame's bytes appended to
 * one byte array. A kept message is no object of its own. Kept as objects (a message, its frame's
 * string and bytes), the history of every busy stream was what each young collection copied: with
 * S1's 1,000 sessions of 100 messages, young pauses of 34-42 ms against 14 ms with no history, and
 * a quarter of the CPU per frame (docs/performance.md). A message read back
 * ({@link #get}) is made anew from its bytes, without its content, which it decodes if asked.
 *
 * <p>Not thread-safe: its stream guards it.
 */
final class History {

  private static final int FIRST_SLOTS = 4;
  private static final int FIRST_BYTES = 1024;
  private static final long[] NO_LONGS = {};
  private static final int[] NO_INTS = {};
  private static final String[] NO_STRINGS = {};
  private static final byte[] NO_BYTES = {};

  private final String stream;

  // slot i, oldest first, is at index (head + i) % capacity of the arrays; none until the first
  // message, so a stream that never gets one (an idle socket's session) holds no arrays of its own
  private long[] seqs = NO_LONGS;
  private long[] tsMillis = NO_LONGS;
  private long[] acceptedNanos = NO_LONGS;
  private String[] types = NO_STRINGS;
  private int[] starts = NO_INTS;
  private int[] lengths = NO_INTS;
  private int head;
  private int size;

  // the frames' UTF-8 bytes, oldest first, in bytes[begin, end)
  private byte[] bytes = NO_BYTES;
  private int begin;
  private int end;

  History(String stream) {
    this.stream = stream;
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /**
   * Keeps a message as the newest. Its frame's bytes come from the message's WebSocket frame, which
   * the message keeps for its sockets, so a message is encoded once for both.
   */
  void add(Message message) {
    byte[] wire = message.wireFrame();
    int header = WebSocketFrame.headerLength(wire);
    int length = wire.length - header;
    if (size == seqs.length) {
      growSlots();
    }
    ensureBytes(length);
    System.arraycopy(wire, header, bytes, end, length);
    int at = index(size);
    seqs[at] = message.seq();
    tsMillis[at] = message.tsMillis();
    acceptedNanos[at] = message.acceptedNanos();
    types[at] = message.type();
    starts[at] = end;
    lengths[at] = length;
    end += length;
    size++;
  }

  /** Drops the oldest message. */
  void removeFirst() {
    int at = index(0);
    types[at] = null;
    begin = starts[at] + lengths[at];
    head = (head + 1) % seqs.length;
    size--;
    if (size == 0) {
      begin = 0;
      end = 0;
    }
  }

  /** The {@code seq} of the i-th message, oldest first. */
  long seq(int i) {
    return seqs[index(i)];
  }

  /** When the i-th message was ordered, in epoch milliseconds. */
  long tsMillis(int i) {
    return tsMillis[index(i)];
  }

  /** The i-th message, oldest first, made anew from its kept frame. */
  Message get(int i) {
    int at = index(i);
    String frame = new String(bytes, starts[at], lengths[at], StandardCharsets.UTF_8);
    return Message.kept(stream, seqs[at], tsMillis[at], types[at], frame, acceptedNanos[at]);
  }

  private int index(int i) {
    int at = head + i;
    return at < seqs.length ? at : at - seqs.length;
  }

  private void growSlots() {
    int capacity = Math.max(FIRST_SLOTS, seqs.length * 2);
    long[] newSeqs = new long[capacity];
    long[] newTs = new long[capacity];
    long[] newAccepted = new long[capacity];
    String[] newTypes = new String[capacity];
    int[] newStarts = new int[capacity];
    int[] newLengths = new int[capacity];
    for (int i = 0; i < size; i++) {
      int at = index(i);
      newSeqs[i] = seqs[at];
      newTs[i] = tsMillis[at];
      newAccepted[i] = acceptedNanos[at];
      newTypes[i] = types[at];
      newStarts[i] = starts[at];
      newLengths[i] = lengths[at];
    }
    seqs = newSeqs;
    tsMillis = newTs;
    acceptedNanos = newAccepted;
    types = newTypes;
    starts = newStarts;
    lengths = newLengths;
    head = 0;
  }

  /**
   * Room for {@code more} bytes at the end: the kept bytes move to the front of the array, or of a
   * larger one where they and the new bytes would fill more than half of it, or of one half as
   * large where they would fill less than an eighth (a burst of large frames is not held forever).
   */
  private void ensureBytes(int more) {
    if (end + more <= bytes.length) {
      return;
    }
    int live = end - begin;
    int needed = live + more;
    byte[] target = bytes;
    if (needed > bytes.length / 2) {
      target = new byte[Math.max(Math.max(FIRST_BYTES, bytes.length * 2), needed)];
    } else if (needed < bytes.length / 8 && bytes.length > FIRST_BYTES) {
      target = new byte[bytes.length / 2];
    }
    System.arraycopy(bytes, begin, target, 0, live);
    for (int i = 0; i < size; i++) {
      starts[index(i)] -= begin;
    }
    bytes = target;
    begin = 0;
    end = live;
  }

  /** The length of the array that holds the frames' bytes. */
  int bytesHeld() {
    return bytes.length;
  }
}
