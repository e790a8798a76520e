package dev.statusmessenger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket client (java.net.http) for the integration tests: it queues every frame it
 * receives (unpacking {@code batch} frames), and fails with what it got so far when a wait runs out.
 */
public final class TestSocket implements WebSocket.Listener, AutoCloseable {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  public static final Duration WAIT = Duration.ofSeconds(10);

  private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  private final List<JsonObject> received = new ArrayList<>();
  private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private volatile int rawFrames;
  private volatile int longestFrame;
  private volatile boolean paused;
  private volatile boolean demandOwed;
  private WebSocket socket;

  private TestSocket() {}

  /** Opens a socket to {@code /ws/{session}} under the application's base URL. */
  public static TestSocket open(java.net.URL base, String session) {
    return open(wsUri(base, "ws/" + session), null);
  }

  public static TestSocket open(URI uri, String origin) {
    TestSocket listener = new TestSocket();
    WebSocket.Builder builder = CLIENT.newWebSocketBuilder().connectTimeout(WAIT);
    if (origin != null) {
      builder.header("Origin", origin);
    }
    listener.socket = builder.buildAsync(uri, listener).join();
    return listener;
  }

  /** Opens a socket to {@code /ws/tasks/{task}}. */
  public static TestSocket openTask(java.net.URL base, String task) {
    return open(wsUri(base, "ws/tasks/" + task), null);
  }

  public static URI wsUri(java.net.URL base, String path) {
    return URI.create(base.toString().replaceFirst("^http", "ws") + path);
  }

  /** Opens, authenticates and waits for {@code ready}. */
  public static TestSocket ready(java.net.URL base, String session, String token) {
    TestSocket s = open(base, session);
    s.auth(token, null, false);
    JsonObject ready = s.next();
    assertEquals("ready", ready.getString("type"), "first frame after auth: " + ready);
    return s;
  }

  public TestSocket auth(String token, Long since, boolean batch) {
    var auth = Json.createObjectBuilder().add("type", "auth").add("token", token);
    if (since != null) {
      auth.add("since", since);
    }
    if (batch) {
      auth.add("batch", true);
    }
    return send(auth.build().toString());
  }

  public TestSocket send(String text) {
    socket.sendText(text, true).join();
    return this;
  }

  public TestSocket sendBinary(byte[] data) {
    socket.sendBinary(ByteBuffer.wrap(data), true).join();
    return this;
  }

  /**
   * Stops reading: no more frames are requested, so the server's writes back up as they would
   * behind a stuck browser tab.
   */
  public void pause() {
    paused = true;
  }

  /** Reads again after {@link #pause()}. */
  public void resume() {
    paused = false;
    if (demandOwed) {
      demandOwed = false;
      socket.request(1);
    }
  }

  /** The next frame, or null where none arrives within the wait. */
  public JsonObject poll(Duration wait) {
    try {
      return frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The close code, waiting up to {@code wait} for it; null where the socket is still open. */
  public Integer closeCodeWithin(Duration wait) {
    try {
      return closeCode.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError(e);
    }
  }

  /** The close code, where the socket is closed (1006 for a connection that just ended). */
  public Integer closeCodeIfClosed() {
    return closeCode.isDone() ? closeCode.join() : null;
  }

  /** The next frame, or a failure that lists what arrived. */
  public JsonObject next() {
    return next(WAIT);
  }

  public JsonObject next(Duration wait) {
    try {
      JsonObject frame = frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
      if (frame == null) {
        fail("no frame within " + wait + "; received so far: " + receivedSummary() + closeNote());
      }
      return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next frame of a type, skipping others (pong, for example). */
  public JsonObject nextOfType(String type) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject frame = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (type.equals(frame.getString("type", ""))) {
        return frame;
      }
    }
    throw new AssertionError("no " + type + " frame; received " + receivedSummary());
  }

  /** Frames of the given types, {@code count} of them, in the order they came. */
  public List<JsonObject> take(int count, String... types) {
    List<String> wanted = List.of(types);
    List<JsonObject> out = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos() * 3;
    while (out.size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        fail("got " + out.size() + " of " + count + " frames; last: " + (out.isEmpty() ? "none" : out.get(out.size() - 1)));
      }
      JsonObject frame = next(Duration.ofNanos(left));
      if (wanted.contains(frame.getString("type", ""))) {
        out.add(frame);
      }
    }
    return out;
  }

  /** Asserts that nothing (of the given types, or at all) arrives within a short wait. */
  public void expectSilence(Duration wait) {
    try {
      JsonObject frame = frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
      if (frame != null) {
        fail("expected no frame, got " + frame);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The close code the server sent, waiting for it. */
  public int awaitClose() {
    try {
      return closeCode.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("the server did not close the socket; received " + receivedSummary(), e);
    }
  }

  public boolean isClosed() {
    return closeCode.isDone();
  }

  /** Text frames received, counting a batch as one. */
  public int rawFrames() {
    return rawFrames;
  }

  /** The length, in chars, of the longest text frame received. */
  public int longestFrame() {
    return longestFrame;
  }

  /** Drops the TCP connection without a close handshake. */
  public void abort() {
    socket.abort();
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "test done").exceptionally(e -> null);
    }
    socket.abort();
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      rawFrames++;
      longestFrame = Math.max(longestFrame, partial.length());
      JsonObject frame = Json.createReader(new StringReader(partial.toString())).readObject();
      partial.setLength(0);
      if ("batch".equals(frame.getString("type", ""))) {
        for (JsonValue inner : frame.getJsonArray("messages")) {
          add(inner.asJsonObject());
        }
      } else {
        add(frame);
      }
    }
    if (paused) {
      demandOwed = true;
    } else {
      ws.request(1);
    }
    return null;
  }

  private synchronized void add(JsonObject frame) {
    received.add(frame);
    frames.add(frame);
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closeCode.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    closeCode.complete(1006);
  }

  /** What arrived, for failure messages: the count and the last few frames, each cut short. */
  private String receivedSummary() {
    int from = Math.max(0, received.size() - 3);
    StringBuilder out = new StringBuilder(received.size() + " frames");
    for (JsonObject frame : received.subList(from, received.size())) {
      String text = frame.toString();
      out.append(from == 0 ? "; " : ", last: ").append(text.length() > 300 ? text.substring(0, 300) + "…" : text);
    }
    return out.toString();
  }

  private String closeNote() {
    return closeCode.isDone() ? " (closed with " + closeCode.join() + ")" : "";
  }
}
