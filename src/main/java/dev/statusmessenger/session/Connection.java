package dev.statusmessenger.session;

import dev.statusmessenger.platform.RawFrames;
import dev.statusmessenger.stream.Message;
import dev.statusmessenger.stream.Replay;
import dev.statusmessenger.stream.TrafficStats;
import dev.statusmessenger.wire.CloseCode;
import dev.statusmessenger.wire.Frames;
import dev.statusmessenger.wire.WebSocketFrame;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One WebSocket connection: the stream it opened (a session, or a task's log), the task logs it
 * subscribed to, its cursor in each (the last {@code seq} it was given), and its bounded outbound
 * queue, sent one frame at a time through the async remote.
 *
 * <p>Pending status frames coalesce to the latest (a status is a value); events are never dropped:
 * where the queue passes its bound the connection is closed with 1013, and the client resumes from
 * its cursor.
 */
public final class Connection {

  private static final Logger LOG = Logger.getLogger(Connection.class.getName());
  private static final int MAX_BATCH = 64;
  private static final ByteBuffer PING = ByteBuffer.allocate(0).asReadOnlyBuffer();
  private static final SendResult SENT = new SendResult();
  private static final AtomicInteger OPENED = new AtomicInteger(); // sockets made so far, for liveness turns

  /** Send states of the one frame in flight, for completions that come back on the same stack. */
  private static final int IN_FLIGHT = 0;
  private static final int CALLER_RETURNED = 1;
  private static final int COMPLETED_INLINE = 2;

  /** Outcomes of queueing a live message ({@link #queueLive}). */
  private static final int SKIPPED = 0;
  private static final int QUEUED = 1;
  private static final int OVERFLOW = 2;

  private final Session socket;
  private final String streamKey;
  private final String readyField;
  private final String streamId;
  private final int queueLimit;
  private final Executor closer;
  private final TrafficStats stats;
  private final Object lock = new Object();
  private final AtomicInteger sendState = new AtomicInteger();
  private final SendHandler onSent = this::onSent;
  private final RawFrames.Sender raw; // null where frames go as text
  private final BiConsumer<Object, Throwable> onRawSent =
      (written, error) -> onSent(error == null ? SENT : new SendResult(error));

  // guarded by lock
  private ArrayDeque<Object> pending; // Message or a control frame's String; made on first use
  private Message pendingStatus;
  private boolean sending;
  private boolean closed;
  private long cursor = -1; // in the opened stream; -1 until ready
  private Map<String, Long> subscriptions; // task stream key -> cursor; made on first subscribe
  private volatile boolean batch; // written once, before the socket is registered for its stream
  private int coalesced;
  private long sendStartedNanos; // when the frame in flight was handed to the container
  private boolean pingAfterFrame; // a ping waits for the frame in flight
  private CloseCode closeWhenDrained; // set at shutdown: close once the queue is empty
  private String closeWhenDrainedReason;
  private volatile long lastHeardNanos = System.nanoTime();
  private final int number = OPENED.getAndIncrement(); // sockets take turns for liveness in this order

  /**
   * @param streamKey the key of the stream the socket opened
   * @param readyField {@code session} or {@code task}: how {@code ready} names it
   * @param streamId the session or task id
   */
  Connection(
      Session socket, String streamKey, String readyField, String streamId, int queueLimit,
      Executor closer) {
    this(socket, streamKey, readyField, streamId, queueLimit, closer, TrafficStats.NONE);
  }

  /** As above, reporting sent, coalesced and dropped frames to {@code stats}. */
  Connection(
      Session socket, String streamKey, String readyField, String streamId, int queueLimit,
      Executor closer, TrafficStats stats) {
    this.stats = stats;
    this.socket = socket;
    this.streamKey = streamKey;
    this.readyField = readyField;
    this.streamId = streamId;
    this.queueLimit = queueLimit;
    this.closer = closer;
    this.raw = RawFrames.forSocket(socket);
  }

  /** Which of {@code turns} turns this socket takes: sockets opened in a row take them in turn. */
  int turnOf(int turns) {
    return Math.floorMod(number, turns);
  }

  /** The key of the stream the socket opened. */
  public String streamKey() {
    return streamKey;
  }

  /** The session or task id the socket opened. */
  public String streamId() {
    return streamId;
  }

  /** Whether the socket opened a task's log rather than a session. */
  public boolean isTaskSocket() {
    return "task".equals(readyField);
  }

  /** Whether the socket is an operator's ({@code /ws/ops/live}), receiving {@code ops} snapshots. */
  public boolean isOperatorSocket() {
    return "ops".equals(readyField);
  }

  /** Whether a frame is in flight to the peer (not yet taken). */
  boolean isSending() {
    synchronized (lock) {
      return sending;
    }
  }

  public String id() {
    return socket.getId();
  }

  Session socket() {
    return socket;
  }

  /** Whether the connection has authenticated and receives its session's messages. */
  public boolean isReady() {
    synchronized (lock) {
      return cursor >= 0;
    }
  }

  /** Records that the peer answered a ping or sent a message: it is alive. */
  void heard() {
    lastHeardNanos = System.nanoTime();
  }

  /** When the peer was last heard from ({@link System#nanoTime()}). */
  long lastHeardNanos() {
    return lastHeardNanos;
  }

  /** Since when the frame in flight has waited for the peer to take it, or 0 where none is. */
  long sendStartedNanos() {
    synchronized (lock) {
      return sending ? sendStartedNanos : 0;
    }
  }

  /**
   * Sends a WebSocket ping, whose pong shows the peer is alive: now, or where a frame is in flight,
   * right after it. A busy socket is pinged too: one that always had a frame in flight when the
   * liveness check came round went unpinged, unheard and was closed as dead while it took every
   * frame (seen under load).
   */
  void ping() {
    synchronized (lock) {
      if (sending) {
        pingAfterFrame = true;
        return;
      }
    }
    sendPing();
  }

  private void sendPing() {
    try {
      socket.getAsyncRemote().sendPing(PING);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "Ping failed; the liveness check closes the socket", e);
    }
  }

  /** Whether the socket is closed (by either side). */
  boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  /**
   * Closes the socket once everything already queued has been sent (at shutdown), so clients
   * resume from the last message accepted rather than from an earlier one.
   */
  void closeWhenDrained(CloseCode code, String reason) {
    boolean now;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closeWhenDrained = code;
      closeWhenDrainedReason = reason;
      now = !sending && (pending == null || pending.isEmpty());
    }
    if (now) {
      closeInline(code, reason);
    }
  }

  /** Status frames replaced by a newer one before they were sent. */
  public int coalesced() {
    synchronized (lock) {
      return coalesced;
    }
  }

  /**
   * Makes the connection ready: sends {@code ready}, then what the replay gives ({@code reset}
   * first where needed), then live messages after the replay's position. {@code register} (false
   * where the connection is refused) and the replay run under this connection's lock, so no live
   * message can slip in before or between them.
   */
  void start(boolean batchFrames, BooleanSupplier register, Supplier<Replay> replay) {
    boolean startSending;
    synchronized (lock) {
      batch = batchFrames; // before registering: deliveries read it without the lock
      if (closed || !register.getAsBoolean()) {
        return;
      }
      Replay r = replay.get();
      cursor = r.seq();
      queue().add(Frames.ready(readyField, streamId, r.seq()));
      if (r.reset()) {
        queue().add(isTaskSocket() ? Frames.reset(streamId, r.seq()) : Frames.reset(r.seq()));
      }
      for (Message m : r.messages()) {
        enqueue(m);
      }
      startSending = claimSender();
    }
    if (startSending) {
      pump();
    }
  }

  /**
   * Subscribes this (session) socket to a task's log: {@code ready} for the task, then the replay,
   * then live lines. A second subscribe to the same task starts over from its {@code since}.
   */
  void subscribe(String taskKey, String taskId, BooleanSupplier register, Supplier<Replay> replay) {
    boolean startSending;
    synchronized (lock) {
      if (closed || !register.getAsBoolean()) {
        return;
      }
      Replay r = replay.get();
      if (subscriptions == null) {
        subscriptions = new HashMap<>(4);
      }
      subscriptions.put(taskKey, r.seq());
      queue().add(Frames.ready("task", taskId, r.seq()));
      if (r.reset()) {
        queue().add(Frames.reset(taskId, r.seq()));
      }
      for (Message m : r.messages()) {
        enqueue(m);
      }
      startSending = claimSender();
    }
    if (startSending) {
      pump();
    }
  }

  /** Stops taking a task's lines; returns whether the socket was subscribed. */
  boolean unsubscribe(String taskKey) {
    synchronized (lock) {
      return subscriptions != null && subscriptions.remove(taskKey) != null;
    }
  }

  /** How many task logs this socket is subscribed to. */
  int subscriptionCount() {
    synchronized (lock) {
      return subscriptions == null ? 0 : subscriptions.size();
    }
  }

  /** Every stream this socket receives: the one it opened and its subscriptions. */
  List<String> streamKeys() {
    synchronized (lock) {
      List<String> keys = new ArrayList<>(1 + (subscriptions == null ? 0 : subscriptions.size()));
      keys.add(streamKey);
      if (subscriptions != null) {
        keys.addAll(subscriptions.keySet());
      }
      return keys;
    }
  }

  /**
   * Offers a live message of one of this socket's streams and starts sending it; up to its cursor,
   * it is skipped. One pass under the lock queues it and claims the sender.
   */
  void offer(Message message) {
    int outcome = SKIPPED;
    boolean startSending = false;
    Object now = null;
    synchronized (lock) {
      if (isIdle()) {
        // Sent at once, never queued: a reference stored into this long-lived queue for every
        // frame made G1 re-scan its card each time (docs/performance.md, G1's card refinement).
        if (closed || !advanceCursor(message)) {
          return;
        }
        sending = true;
        sendStartedNanos = System.nanoTime();
        now = taken(message);
      } else {
        outcome = queueLive(message);
        if (outcome == QUEUED) {
          startSending = claimSender();
        }
      }
    }
    if (now != null) {
      if (sendNow(now)) {
        pump();
      }
    } else if (outcome == OVERFLOW) {
      closeSlowConsumer();
    } else if (startSending) {
      pump();
    }
  }

  /** Nothing in flight, queued or waiting to follow it; under the lock. */
  private boolean isIdle() {
    return !sending && !pingAfterFrame && closeWhenDrained == null && (pending == null || pending.isEmpty());
  }

  /**
   * Queues a live message without starting to send, so that messages handed over together leave
   * in one batch frame; {@link #sendHeld} sends them. Up to its cursor, a message is skipped.
   *
   * @return whether the message was queued
   */
  boolean hold(Message message) {
    int outcome;
    synchronized (lock) {
      outcome = queueLive(message);
    }
    if (outcome == OVERFLOW) {
      closeSlowConsumer();
    }
    return outcome == QUEUED;
  }

  /** Queues a live message, under the lock: {@link #SKIPPED}, {@link #QUEUED} or {@link #OVERFLOW}. */
  private int queueLive(Message message) {
    if (closed || !advanceCursor(message)) {
      return SKIPPED;
    }
    enqueue(message);
    return pending.size() > queueLimit ? OVERFLOW : QUEUED;
  }

  private void closeSlowConsumer() {
    close(CloseCode.TRY_AGAIN_LATER, "slow consumer: resume from your last seq");
  }

  /** Starts sending what {@link #hold} queued, unless a send is already under way. */
  void sendHeld() {
    boolean startSending;
    synchronized (lock) {
      startSending = !closed && claimSender();
    }
    if (startSending) {
      pump();
    }
  }

  /** Whether this client takes several messages in one {@code batch} frame. */
  boolean takesBatches() {
    return batch;
  }

  /** Sends a control frame (pong, error) in order with everything else. */
  void sendControl(String frame) {
    boolean startSending;
    synchronized (lock) {
      if (closed) {
        return;
      }
      queue().add(frame);
      startSending = claimSender();
    }
    if (startSending) {
      pump();
    }
  }

  /** Closes the socket with a code and reason, off the caller's thread; pending frames are dropped. */
  public void close(CloseCode code, String reason) {
    if (markClosing()) {
      try {
        closer.execute(() -> closeSocket(code, reason));
      } catch (RejectedExecutionException shuttingDown) {
        closeSocket(code, reason);
      }
    }
  }

  /** Closes the socket on the caller's thread, for shutdown when executors may be gone. */
  void closeInline(CloseCode code, String reason) {
    if (markClosing()) {
      closeSocket(code, reason);
    }
  }

  private boolean markClosing() {
    synchronized (lock) {
      if (closed) {
        return false;
      }
      markClosed();
      return true;
    }
  }

  private void closeSocket(CloseCode code, String reason) {
    try {
      if (socket.isOpen()) {
        socket.close(code.reason(reason));
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "Closing a socket failed; it is gone either way", e);
    }
  }

  /** Records that the container closed the socket. */
  void closed() {
    synchronized (lock) {
      markClosed();
    }
  }

  /** The last seq of a stream this connection was given, -1 before it is ready for that stream. */
  long cursorIn(String key) {
    synchronized (lock) {
      if (key.equals(streamKey)) {
        return cursor;
      }
      Long at = subscriptions == null ? null : subscriptions.get(key);
      return at == null ? -1 : at;
    }
  }

  /** Moves the cursor of the message's stream past it; false where it was already given. */
  private boolean advanceCursor(Message message) {
    String key = message.stream();
    if (key.equals(streamKey)) {
      if (cursor < 0 || message.seq() <= cursor) {
        return false;
      }
      cursor = message.seq();
      return true;
    }
    Long at = subscriptions == null ? null : subscriptions.get(key);
    if (at == null || message.seq() <= at) {
      return false;
    }
    subscriptions.put(key, message.seq());
    return true;
  }

  private void markClosed() {
    if (pending != null && !pending.isEmpty()) {
      stats.dropped(pending.size());
    }
    closed = true;
    pending = null;
    pendingStatus = null;
  }

  private ArrayDeque<Object> queue() {
    if (pending == null) {
      pending = new ArrayDeque<>(8);
    }
    return pending;
  }

  private void enqueue(Message message) {
    ArrayDeque<Object> q = queue();
    if (message.isStatus()) {
      if (pendingStatus != null && q.removeFirstOccurrence(pendingStatus)) {
        coalesced++;
        stats.coalesced();
      }
      pendingStatus = message;
    }
    q.add(message);
  }

  private boolean claimSender() {
    if (sending || pending == null || pending.isEmpty()) {
      return false;
    }
    sending = true;
    return true;
  }

  /** Sends pending frames one at a time until the queue is empty; only the claimed sender runs it. */
  private void pump() {
    while (true) {
      Object frame;
      CloseCode drainedClose = null;
      boolean pingNow;
      synchronized (lock) {
        pingNow = pingAfterFrame && !closed;
        pingAfterFrame = false;
        frame = closed ? null : nextFrame();
        if (frame == null) {
          sending = false;
          drainedClose = closed ? null : closeWhenDrained;
        } else {
          sendStartedNanos = System.nanoTime();
        }
      }
      if (pingNow) {
        sendPing();
      }
      if (frame == null) {
        if (drainedClose != null) {
          closeInline(drainedClose, closeWhenDrainedReason);
        }
        return;
      }
      if (!sendNow(frame)) {
        return; // completes later, on the container's thread, which pumps on
      }
      // it completed on this stack: go on here rather than recurse
    }
  }

  /**
   * Sends one frame, claimed by this sender; true where it completed on this stack, so the caller
   * pumps on here, false where the container completes it later (and pumps on then) or it failed.
   */
  private boolean sendNow(Object frame) {
    sendState.set(IN_FLIGHT);
    try {
      send(frame);
    } catch (RuntimeException e) {
      failed(e);
      return false;
    }
    return !sendState.compareAndSet(IN_FLIGHT, CALLER_RETURNED);
  }

  private void onSent(SendResult result) {
    if (!result.isOK()) {
      failed(result.getException());
      return;
    }
    if (!sendState.compareAndSet(IN_FLIGHT, COMPLETED_INLINE)) {
      pump();
    }
  }

  /**
   * Sends one frame: as bytes encoded once where the socket has a raw sender (a message's bytes are
   * shared by every socket that sends it), else as text through the async remote.
   */
  private void send(Object frame) {
    if (raw != null) {
      byte[] bytes = frame instanceof Message m ? m.wireFrame() : WebSocketFrame.text((String) frame);
      raw.send(ByteBuffer.wrap(bytes)).whenComplete(onRawSent);
    } else {
      socket.getAsyncRemote().sendText(textOf(frame), onSent);
    }
  }

  /** The next frame: a message sent as its own frame, or a frame's text (control, batch); else null. */
  private Object nextFrame() {
    if (pending == null || pending.isEmpty()) {
      return null;
    }
    if (!batch || pending.size() == 1) {
      return taken(pending.poll());
    }
    List<String> frames = new ArrayList<>(Math.min(pending.size(), MAX_BATCH));
    while (!pending.isEmpty() && frames.size() < MAX_BATCH) {
      frames.add(textOf(taken(pending.poll())));
    }
    return frames.size() == 1 ? frames.get(0) : Frames.batch(frames);
  }

  /** An entry leaving the queue: a message is counted as sent and is no longer the pending status. */
  private Object taken(Object entry) {
    if (entry instanceof Message m) {
      if (m == pendingStatus) {
        pendingStatus = null;
      }
      stats.sent(m);
    }
    return entry;
  }

  private static String textOf(Object frame) {
    return frame instanceof Message m ? m.frame() : (String) frame;
  }

  private void failed(Throwable e) {
    LOG.log(Level.FINE, "Send failed; closing the connection", e);
    synchronized (lock) {
      sending = false;
    }
    close(CloseCode.SERVER_ERROR, "send failed");
  }
}
