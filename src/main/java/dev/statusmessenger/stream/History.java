package dev.statusmessenger.stream;

import dev.statusmessenger.wire.FrameType;
import dev.statusmessenger.wire.WebSocketFrame;
import java.nio.charset.StandardCharsets;

/**
 * A stream's kept messages, oldest first, packed into a few arrays that live as long as the stream:
 * each message's {@code seq}, times and type in parallel arrays, and its frame's bytes in byte
 * chunks shared by many messages. A kept message is no object of its own. Kept as objects (a
 * message, its frame's string and bytes), the history of every busy stream was what each young
 * collection copied: with S1's 1,000 sessions of 100 messages, young pauses of 34-42 ms against 14
 * ms with no history, and a quarter of the CPU per frame (docs/performance.md). A message read back
 * ({@link #get}) is made anew from its bytes, without its content, which it decodes if asked.
 *
 * <p>The bytes are in chunks of at most 64 KB (a larger frame gets a chunk of its own), each sized
 * to a quarter of the bytes kept; a chunk is freed with the last message in it, and refilled where
 * it fits, so a steady stream allocates nothing (nor do young collections copy it). One array for
 * all of them had to double to grow: three times the history's bytes while it copied, arrays G1
 * allocates outside its young generation, and a limit of 2 GB per stream, which a task's history
 * of 10,000 lines of 24 KB passes (S3 ran out of a 2 GB heap growing a 2,000,000-line log).
 *
 * <p>Not thread-safe: its stream guards it.
 */
final class History {

  private static final int FIRST_SLOTS = 4;
  private static final int SMALLEST_CHUNK = 256;
  private static final int LARGEST_CHUNK = 64 * 1024; // far below G1's humongous size (half a region, 512 KB at least)
  private static final long[] NO_LONGS = {};
  private static final int[] NO_INTS = {};
  private static final byte[][] NO_CHUNKS = {};
  private static final byte[] NO_BYTES = {};

  private final String stream;

  // slot i, oldest first, is at index (head + i) % capacity of the arrays; none until the first
  // message, so a stream that never gets one (an idle socket's session) holds no arrays of its own
  private long[] seqs = NO_LONGS;
  private long[] tsMillis = NO_LONGS;
  private long[] acceptedNanos = NO_LONGS;
  /**
   * A kept message's type as its index in {@link FrameType#MESSAGE_TYPES}: a type name stored into
   * a long-lived array at every append made G1 re-scan that array's card each time
   * (docs/performance.md, G1's card refinement).
   */
  private byte[] types = NO_BYTES;
  private byte[][] chunks = NO_CHUNKS; // the chunk that holds the slot's frame, at starts[i] for lengths[i]
  private int[] starts = NO_INTS;
  private int[] lengths = NO_INTS;
  private int head;
  private int size;

  private byte[] tail = NO_BYTES; // the chunk new frames go into, filled up to tailEnd
  private int tailEnd;
  private byte[] spare; // the chunk the oldest messages last left, for the next tail
  private long bytesKept; // the kept frames' bytes, which size the next chunk
  private long chunksMade;

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
   * the message keeps for its sockets, so a message is encoded once for both. Allocates before it
   * changes anything: where memory runs out, the history is as it was.
   */
  void add(Message message) {
    byte[] wire = message.wireFrame();
    int header = WebSocketFrame.headerLength(wire);
    int length = wire.length - header;
    if (size == seqs.length) {
      growSlots();
    }
    if (length > tail.length - tailEnd) {
      long quarter = Math.min(LARGEST_CHUNK, Math.max(SMALLEST_CHUNK, (bytesKept + length) / 4));
      int chunkSize = Math.max(length, (int) quarter);
      // a steady stream refills the chunk its oldest messages left: it allocates nothing, and its
      // chunks grow old instead of being copied by every young collection
      boolean reuse = spare != null && spare.length >= chunkSize && spare.length <= 2 * chunkSize;
      tail = reuse ? spare : newChunk(chunkSize);
      tailEnd = 0;
      spare = null;
    }
    System.arraycopy(wire, header, tail, tailEnd, length);
    int at = index(size);
    seqs[at] = message.seq();
    tsMillis[at] = message.tsMillis();
    acceptedNanos[at] = message.acceptedNanos();
    types[at] = (byte) FrameType.messageTypeIndex(message.type());
    chunks[at] = tail;
    starts[at] = tailEnd;
    lengths[at] = length;
    tailEnd += length;
    bytesKept += length;
    size++;
  }

  /** Drops the oldest message (and its chunk, where it was the chunk's last). */
  void removeFirst() {
    int at = index(0);
    byte[] chunk = chunks[at];
    chunks[at] = null;
    bytesKept -= lengths[at];
    head = (head + 1) % seqs.length;
    size--;
    if (size == 0) { // an expired history holds no bytes
      tail = NO_BYTES;
      tailEnd = 0;
      spare = null;
    } else if (chunk != tail && chunk != chunks[index(0)] && chunk.length <= LARGEST_CHUNK) {
      spare = chunk; // its last message is gone (a large frame's own chunk just goes)
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
    String frame = new String(chunks[at], starts[at], lengths[at], StandardCharsets.UTF_8);
    return Message.kept(stream, seqs[at], tsMillis[at], FrameType.MESSAGE_TYPES.get(types[at]), frame, acceptedNanos[at]);
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
    byte[] newTypes = new byte[capacity];
    byte[][] newChunks = new byte[capacity][];
    int[] newStarts = new int[capacity];
    int[] newLengths = new int[capacity];
    for (int i = 0; i < size; i++) {
      int at = index(i);
      newSeqs[i] = seqs[at];
      newTs[i] = tsMillis[at];
      newAccepted[i] = acceptedNanos[at];
      newTypes[i] = types[at];
      newChunks[i] = chunks[at];
      newStarts[i] = starts[at];
      newLengths[i] = lengths[at];
    }
    seqs = newSeqs;
    tsMillis = newTs;
    acceptedNanos = newAccepted;
    types = newTypes;
    chunks = newChunks;
    starts = newStarts;
    lengths = newLengths;
    head = 0;
  }

  private byte[] newChunk(int length) {
    byte[] chunk = new byte[length];
    chunksMade++;
    return chunk;
  }

  /** How many chunks this history has allocated. */
  long chunksMade() {
    return chunksMade;
  }

  /** The bytes of the chunks this history holds. */
  long bytesHeld() {
    long held = 0;
    byte[] previous = null;
    for (int i = 0; i < size; i++) {
      byte[] chunk = chunks[index(i)];
      if (chunk != previous) {
        held += chunk.length;
        previous = chunk;
      }
    }
    held += previous == tail ? 0 : tail.length;
    return spare == null ? held : held + spare.length;
  }
}
