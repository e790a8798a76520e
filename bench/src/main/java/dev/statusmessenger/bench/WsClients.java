package dev.statusmessenger.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator's WebSocket clients: thousands of sockets on one selector thread, a minimal
 * RFC 6455 client (handshake, masked client frames, unmasked server frames, pong), so the client
 * side costs a few microseconds a frame and is never the bottleneck. Each text frame carrying a
 * scheduled send time ({@code "t":<epoch µs>}) adds its latency to the current {@link Histogram}.
 */
final class WsClients implements AutoCloseable {

  /** One client socket. */
  final class Ws {
    final String path;
    final String auth;
    final boolean viewer;
    SocketChannel channel;
    ByteBuffer in = ByteBuffer.allocate(1 << 15);
    boolean open;
    volatile boolean ready;
    volatile boolean closed;
    volatile long lastSeq = -1;

    Ws(String path, String auth, boolean viewer) {
      this.path = path;
      this.auth = auth;
      this.viewer = viewer;
    }
  }


  private final InetSocketAddress server;
  private final Selector selector;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Ws> toConnect = new ConcurrentLinkedQueue<>();
  private volatile boolean running = true;
  volatile Histogram current = new Histogram();
  final AtomicLong readyCount = new AtomicLong();
  final AtomicLong closedCount = new AtomicLong();
  /** Why sockets closed, counted: a close frame's code, "eof" (no close frame), "io" or "handshake". */
  final java.util.concurrent.ConcurrentHashMap<String, AtomicLong> closeReasons = new java.util.concurrent.ConcurrentHashMap<>();
  final AtomicLong textFrames = new AtomicLong();
  volatile long lastFrameNanos = System.nanoTime();

  WsClients(int port) throws IOException {
    this.server = new InetSocketAddress("127.0.0.1", port);
    this.selector = Selector.open();
    this.thread = new Thread(this::loop, "ws-clients");
    thread.setDaemon(true);
    thread.start();
  }

  /** Opens a socket to {@code path}, sending {@code auth} as its first message once upgraded. */
  Ws open(String path, String auth, boolean viewer) {
    Ws ws = new Ws(path, auth, viewer);
    toConnect.add(ws);
    selector.wakeup();
    return ws;
  }

  /** Opens sockets {@code b<from>…b<to-1>} with their tokens, at most {@code burst} handshakes in flight. */
  List<Ws> openSessions(int from, int to, String[] tokens, long deadlineNanos) {
    List<Ws> opened = new ArrayList<>(to - from);
    long before = readyCount.get();
    for (int i = from; i < to; i++) {
      while (opened.size() - (readyCount.get() - before) > 200 && System.nanoTime() < deadlineNanos) {
        sleep(2);
      }
      opened.add(open("/ws/b" + i, authFrame(tokens[i], -1, false), false));
    }
    while (readyCount.get() - before < opened.size() && System.nanoTime() < deadlineNanos) {
      sleep(5);
    }
    return opened;
  }

  static String authFrame(String token, long since, boolean batch) {
    return "{\"type\":\"auth\",\"token\":\"" + token + "\"" + (since >= 0 ? ",\"since\":" + since : "")
        + (batch ? ",\"batch\":true" : "") + "}";
  }

  private void loop() {
    while (running) {
      try {
        selector.select(10);
        Ws pending;
        while ((pending = toConnect.poll()) != null) {
          startConnect(pending);
        }
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
          SelectionKey key = keys.next();
          keys.remove();
          Ws ws = (Ws) key.attachment();
          try {
            if (key.isValid() && key.isConnectable()) {
              ws.channel.finishConnect();
              writeFully(ws, handshake(ws.path));
              key.interestOps(SelectionKey.OP_READ);
            } else if (key.isValid() && key.isReadable()) {
              read(ws, key);
            }
          } catch (IOException e) {
            markClosed(ws, key, "io");
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private void startConnect(Ws ws) throws IOException {
    ws.channel = SocketChannel.open();
    ws.channel.configureBlocking(false);
    ws.channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
    if (ws.channel.connect(server)) {
      writeFully(ws, handshake(ws.path));
      ws.channel.register(selector, SelectionKey.OP_READ, ws);
    } else {
      ws.channel.register(selector, SelectionKey.OP_CONNECT, ws);
    }
  }

  private ByteBuffer handshake(String path) {
    String request = "GET " + path + " HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n";
    return ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
  }

  private void read(Ws ws, SelectionKey key) throws IOException {
    int n = ws.channel.read(ws.in);
    if (n < 0) {
      markClosed(ws, key, "eof");
      return;
    }
    ws.in.flip();
    if (!ws.open) {
      int end = headerEnd(ws.in);
      if (end < 0) {
        ws.in.compact();
        return;
      }
      String status = new String(ws.in.array(), 0, 12, StandardCharsets.US_ASCII);
      if (!status.endsWith("101")) {
        markClosed(ws, key, "handshake");
        return;
      }
      ws.in.position(end);
      ws.open = true;
      sendFrame(ws, 1, ws.auth.getBytes(StandardCharsets.UTF_8));
    }
    frames(ws, key);
    ws.in.compact();
    if (!ws.in.hasRemaining()) { // a frame larger than the buffer: grow it
      ByteBuffer bigger = ByteBuffer.allocate(ws.in.capacity() * 2);
      ws.in.flip();
      bigger.put(ws.in);
      ws.in = bigger;
    }
  }

  private static int headerEnd(ByteBuffer b) {
    for (int i = b.position(); i + 3 < b.limit(); i++) {
      if (b.get(i) == '\r' && b.get(i + 1) == '\n' && b.get(i + 2) == '\r' && b.get(i + 3) == '\n') {
        return i + 4;
      }
    }
    return -1;
  }

  private void frames(Ws ws, SelectionKey key) throws IOException {
    ByteBuffer b = ws.in;
    while (b.remaining() >= 2) {
      int start = b.position();
      int opcode = b.get(start) & 0x0f;
      int len = b.get(start + 1) & 0x7f;
      int header = 2;
      if (len == 126) {
        if (b.remaining() < 4) {
          return;
        }
        len = b.getShort(start + 2) & 0xffff;
        header = 4;
      } else if (len == 127) {
        if (b.remaining() < 10) {
          return;
        }
        len = (int) b.getLong(start + 2);
        header = 10;
      }
      if (b.remaining() < header + len) {
        return;
      }
      int payload = start + header;
      switch (opcode) {
        case 1, 0 -> text(ws, b.array(), payload, len);
        case 8 -> {
          markClosed(ws, key, len >= 2 ? Integer.toString(b.getShort(payload) & 0xffff) : "1005");
          return;
        }
        case 9 -> {
          byte[] data = new byte[len];
          System.arraycopy(b.array(), payload, data, 0, len);
          sendFrame(ws, 10, data);
        }
        default -> { }
      }
      b.position(payload + len);
    }
  }

  private void text(Ws ws, byte[] a, int from, int len) {
    textFrames.incrementAndGet();
    int end = from + len;
    if (!ws.ready) {
      if (indexOf(a, from, end, READY) >= 0) {
        ws.ready = true;
        readyCount.incrementAndGet();
      }
      return;
    }
    if (ws.viewer) {
      int at = lastIndexOf(a, from, end, SEQ);
      if (at >= 0) {
        ws.lastSeq = number(a, at + SEQ.length, end);
      }
      return;
    }
    int at = indexOf(a, from, end, T);
    if (at >= 0) {
      long scheduled = number(a, at + T.length, end);
      lastFrameNanos = System.nanoTime();
      current.record(scheduled);
    }
  }

  private static final byte[] READY = "\"ready\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] T = "\"t\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);

  private static int indexOf(byte[] a, int from, int end, byte[] needle) {
    outer:
    for (int i = from; i <= end - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (a[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static int lastIndexOf(byte[] a, int from, int end, byte[] needle) {
    outer:
    for (int i = end - needle.length; i >= from; i--) {
      for (int j = 0; j < needle.length; j++) {
        if (a[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static long number(byte[] a, int from, int end) {
    long v = 0;
    for (int i = from; i < end && a[i] >= '0' && a[i] <= '9'; i++) {
      v = v * 10 + (a[i] - '0');
    }
    return v;
  }

  private void sendFrame(Ws ws, int opcode, byte[] payload) throws IOException {
    int len = payload.length;
    ByteBuffer out = ByteBuffer.allocate(14 + len);
    out.put((byte) (0x80 | opcode));
    if (len < 126) {
      out.put((byte) (0x80 | len));
    } else {
      out.put((byte) (0x80 | 126)).putShort((short) len);
    }
    byte[] mask = {1, 2, 3, 4};
    out.put(mask);
    for (int i = 0; i < len; i++) {
      out.put((byte) (payload[i] ^ mask[i & 3]));
    }
    out.flip();
    writeFully(ws, out);
  }

  private static void writeFully(Ws ws, ByteBuffer out) throws IOException {
    long deadline = System.nanoTime() + 1_000_000_000L;
    while (out.hasRemaining() && System.nanoTime() < deadline) {
      if (ws.channel.write(out) == 0) {
        Thread.onSpinWait();
      }
    }
  }

  /** The close reasons counted so far, to diff against later. */
  java.util.Map<String, Long> closeReasonsNow() {
    java.util.Map<String, Long> now = new java.util.TreeMap<>();
    closeReasons.forEach((k, v) -> now.put(k, v.get()));
    return now;
  }

  /** Close reasons counted since a snapshot, as "1013:2,eof:1", or "-" for none. */
  String closeReasonsSince(java.util.Map<String, Long> before) {
    StringBuilder out = new StringBuilder();
    closeReasonsNow().forEach((k, v) -> {
      long n = v - before.getOrDefault(k, 0L);
      if (n > 0) {
        out.append(out.length() == 0 ? "" : ",").append(k).append(':').append(n);
      }
    });
    return out.length() == 0 ? "-" : out.toString();
  }

  private void markClosed(Ws ws, SelectionKey key, String reason) {
    if (!ws.closed) {
      ws.closed = true;
      closedCount.incrementAndGet();
      closeReasons.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
    }
    if (ws.ready) {
      ws.ready = false;
      readyCount.decrementAndGet();
    }
    key.cancel();
    try {
      ws.channel.close();
    } catch (IOException ignored) {
      // gone either way
    }
  }

  /**
   * Swaps in a fresh histogram counting only messages scheduled from now on (late frames of an
   * earlier step are left out) and returns the one that was recording.
   */
  Histogram swap() {
    Histogram old = current;
    current = new Histogram();
    return old;
  }

  /** Waits until no measured frame has arrived for {@code quietMillis}, at most until the deadline. */
  void awaitQuiet(long quietMillis, long deadlineNanos) {
    while (System.nanoTime() - lastFrameNanos < quietMillis * 1_000_000L && System.nanoTime() < deadlineNanos) {
      sleep(50);
    }
  }

  @Override
  public void close() {
    running = false;
    selector.wakeup();
    try {
      thread.join(2000);
      for (SelectionKey key : selector.keys()) {
        key.channel().close();
      }
      selector.close();
    } catch (IOException | InterruptedException ignored) {
      // exiting
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Latencies in 10 µs buckets up to 20 s; recorded by the selector thread only. The wall clock is
   * read once, when the histogram is made (each step), and followed by the monotonic clock: a step
   * of the system clock between the client's start and a step (seen 2026-12-03: every latency
   * below 10 µs in one run) no longer shifts what it measures, and one within a step shows as
   * latencies below zero, which make the step count as not held.
   */
  static final class Histogram {
    private final int[] buckets = new int[2_000_001];
    private final long fromEpochMicros;
    private final long fromNanos;
    private volatile long count;
    private volatile long negative;

    Histogram() {
      Instant now = Instant.now();
      this.fromNanos = System.nanoTime();
      this.fromEpochMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    void record(long scheduledEpochMicros) {
      if (scheduledEpochMicros < fromEpochMicros) {
        return; // sent in an earlier step
      }
      long micros = fromEpochMicros + (System.nanoTime() - fromNanos) / 1000 - scheduledEpochMicros;
      if (micros < -1000) {
        negative++; // received over a millisecond before it was sent: the clocks disagree
      }
      int bucket = (int) Math.max(0, Math.min(buckets.length - 1, micros / 10));
      buckets[bucket]++;
      count++;
    }

    long count() {
      return count;
    }

    /** Frames that arrived over a millisecond before their scheduled send: the clock stepped. */
    long negative() {
      return negative;
    }

    /** The latency at quantile {@code q}, in milliseconds. */
    double quantileMillis(double q) {
      if (count == 0) {
        return Double.NaN;
      }
      long rank = (long) Math.ceil(q * count);
      long seen = 0;
      for (int i = 0; i < buckets.length; i++) {
        seen += buckets[i];
        if (seen >= rank) {
          return (i * 10 + 5) / 1000.0;
        }
      }
      return Double.NaN;
    }
  }
}
