package dev.statusmessenger.session;

import dev.statusmessenger.auth.AuthFailed;
import dev.statusmessenger.auth.Credentials;
import dev.statusmessenger.auth.Ids;
import dev.statusmessenger.auth.TokenCheck;
import dev.statusmessenger.config.MessengerConfig;
import dev.statusmessenger.config.PlatformResources;
import dev.statusmessenger.context.CurrentSession;
import dev.statusmessenger.platform.Unproxied;
import dev.statusmessenger.dispatch.DeliveryTarget;
import dev.statusmessenger.stream.Message;
import dev.statusmessenger.stream.Replay;
import dev.statusmessenger.stream.StreamKeys;
import dev.statusmessenger.stream.StreamStore;
import dev.statusmessenger.stream.TrafficStats;
import dev.statusmessenger.task.Task;
import dev.statusmessenger.task.TaskRegistry;
import dev.statusmessenger.wire.CloseCode;
import dev.statusmessenger.wire.ErrorCode;
import dev.statusmessenger.wire.FrameType;
import dev.statusmessenger.wire.Frames;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This connection manager holds every socket by the streams it receives: {@code /ws/{session}}
 * sockets under their session, {@code /ws/tasks/{task}} sockets and task subscriptions under the
 * task's log. It takes sockets through authentication to {@code ready}, answers client messages,
 * and delivers each stream's messages to all of its sockets. The endpoints only hand it callbacks.
 */
@ApplicationScoped
public class ConnectionManager implements DeliveryTarget {

  static final String REASON_INVALID_ID = "invalid id";
  static final String REASON_UNKNOWN_TASK = "unknown task";
  static final String REASON_AUTH_TIMEOUT = "no auth message in time";
  static final String REASON_AUTH_REQUIRED = "the first message must be auth with a token";
  static final String REASON_TOO_MANY_CONNECTIONS = "too many connections for this session";
  static final String REASON_NOT_A_PRODUCER_KEY = "an operator socket needs a producer key";

  /** Task logs one session socket may subscribe to at once. */
  static final int MAX_SUBSCRIPTIONS = 32;

  private static final Logger LOG = Logger.getLogger(ConnectionManager.class.getName());
  private static final String CONNECTION = "status-messenger.connection";
  private static final String SESSION = "session";
  private static final String TASK = "task";
  private static final String OPERATOR = "ops";
  private static final Connection[] NONE = new Connection[0];

  private final ConcurrentHashMap<String, Connection[]> byStream = new ConcurrentHashMap<>();

  @Inject MessengerConfig config;
  @Inject Credentials credentials;
  @Inject StreamStore store;
  @Inject TaskRegistry tasks;
  @Inject InboundLimit inboundLimit;
  @Inject @Connected Event<ConnectionEvent> connectedEvent;
  @Inject @Disconnected Event<ConnectionEvent> disconnectedEvent;
  @Inject Instance<RequestContextController> requestContexts;
  @Inject TrafficStats stats;
  @Inject BeanManager beans;
  /** {@link #stats} without its client proxy, for every frame sent (see {@link Unproxied}). */
  private volatile TrafficStats directStats;
  @Inject Event<AuthFailed> authFailed;
  @Inject Instance<OperatorFeed> operatorFeed;

  /**
   * Runs the sockets' own small tasks: auth deadlines and closes. A plain executor on the
   * platform's managed threads rather than a managed executor, which on Payara captures the
   * submitter's context on every task (a ServiceLoader search each time, racy under concurrent
   * handshakes); these tasks need no context, and one is scheduled per handshake.
   */
  private ScheduledThreadPoolExecutor socketTasks;

  @PostConstruct
  void startSocketTasks() {
    socketTasks = new ScheduledThreadPoolExecutor(2, PlatformResources.threadFactory());
    socketTasks.setRemoveOnCancelPolicy(true);
    socketTasks.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  private TrafficStats directStats() {
    TrafficStats d = directStats;
    if (d == null) {
      d = Unproxied.of(beans, stats, TrafficStats.class);
      directStats = d;
    }
    return d;
  }

  @PreDestroy
  void stopSocketTasks() {
    socketTasks.shutdown();
  }

  /** A session socket opened: checks its id, then waits for its auth (or, without auth, is ready). */
  public void opened(Session socket, String sessionId, Long since, boolean batch) {
    if (!Ids.isValid(sessionId)) {
      closeNow(socket, CloseCode.POLICY_VIOLATION, REASON_INVALID_ID);
      return;
    }
    admit(socket, new Connection(socket, StreamKeys.session(sessionId), SESSION, sessionId,
        config.outboundQueueSize(), socketTasks, directStats()), since, batch);
  }

  /** A task socket opened: the task must exist; then as for a session socket. */
  public void openedTask(Session socket, String taskId, Long since, boolean batch) {
    if (!Ids.isValid(taskId)) {
      closeNow(socket, CloseCode.POLICY_VIOLATION, REASON_INVALID_ID);
      return;
    }
    if (tasks.find(taskId).isEmpty()) {
      closeNow(socket, CloseCode.POLICY_VIOLATION, REASON_UNKNOWN_TASK);
      return;
    }
    admit(socket, new Connection(socket, StreamKeys.task(taskId), TASK, taskId,
        config.outboundQueueSize(), socketTasks, directStats()), since, batch);
  }

  /**
   * An operator socket opened ({@code /ws/ops/live}): as a session socket, but its {@code auth}
   * must carry a producer key, and once ready it receives {@code ops} snapshots instead of
   * messages.
   */
  public void openedOperator(Session socket) {
    admit(socket, new Connection(socket, StreamKeys.OPERATORS, OPERATOR, "live",
        config.outboundQueueSize(), socketTasks, TrafficStats.NONE), null, false);
  }

  private void admit(Session socket, Connection connection, Long since, boolean batch) {
    socket.setMaxTextMessageBufferSize(config.maxInboundMessage());
    socket.setMaxBinaryMessageBufferSize(config.maxInboundMessage());
    socket.getUserProperties().put(CONNECTION, connection);
    if (!credentials.authEnabled()) {
      ready(connection, since, batch);
      return;
    }
    socketTasks.schedule(
        () -> {
          if (!connection.isReady() && !connection.isClosed()) {
            authFailed.fire(new AuthFailed(AuthFailed.SOCKET));
            connection.close(CloseCode.POLICY_VIOLATION, REASON_AUTH_TIMEOUT);
          }
        },
        config.authTimeout().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** A pong arrived (or any sign of life): the peer is alive. */
  public void heard(Session socket) {
    Connection connection = connectionOf(socket);
    if (connection != null) {
      connection.heard();
    }
  }

  /** A text message arrived: auth first, then ping, subscribe and unsubscribe. */
  public void received(Session socket, String text) {
    Connection connection = connectionOf(socket);
    if (connection == null) {
      return;
    }
    connection.heard();
    if (!inboundLimit.admitText(socket, connection, text)) {
      return;
    }
    if (!connection.isReady()) {
      authenticate(connection, text);
      return;
    }
    try {
      ClientMessage message = ClientMessage.parse(text);
      if (connection.isOperatorSocket()) {
        answerOperator(connection, message);
        return;
      }
      switch (message.type()) {
        case FrameType.PING -> connection.sendControl(Frames.pong());
        case FrameType.AUTH ->
            connection.sendControl(
                Frames.error(
                    ErrorCode.ALREADY_AUTHENTICATED, "This socket is already authenticated",
                    FrameType.AUTH));
        case FrameType.SUBSCRIBE -> subscribe(connection, message);
        case FrameType.UNSUBSCRIBE -> unsubscribe(connection, message);
        default ->
            connection.sendControl(
                Frames.error(
                    ErrorCode.UNKNOWN_TYPE,
                    "Unknown message type; expected ping, subscribe or unsubscribe",
                    message.type()));
      }
    } catch (ClientMessage.InvalidClientMessage e) {
      connection.sendControl(Frames.error(e.code, e.getMessage(), e.messageType));
    }
  }

  /** An operator socket only reads: it may ping, and anything else is an error frame. */
  private static void answerOperator(Connection connection, ClientMessage message) {
    switch (message.type()) {
      case FrameType.PING -> connection.sendControl(Frames.pong());
      case FrameType.AUTH ->
          connection.sendControl(
              Frames.error(
                  ErrorCode.ALREADY_AUTHENTICATED, "This socket is already authenticated",
                  FrameType.AUTH));
      default ->
          connection.sendControl(
              Frames.error(
                  ErrorCode.UNKNOWN_TYPE, "An operator socket takes ping only", message.type()));
    }
  }

  /** A binary message arrived: the protocol is text only. */
  public void receivedBinary(Session socket) {
    Connection connection = connectionOf(socket);
    if (connection == null || !inboundLimit.admit(socket, connection)) {
      return;
    }
    if (!connection.isReady()) {
      connection.close(CloseCode.POLICY_VIOLATION, REASON_AUTH_REQUIRED);
      return;
    }
    connection.sendControl(
        Frames.error(ErrorCode.INVALID_MESSAGE, "Binary frames are not supported; send JSON text", null));
  }

  /** The container closed the socket: forget it everywhere. */
  public void closed(Session socket, CloseReason reason) {
    Connection connection = connectionOf(socket);
    if (connection == null) {
      return;
    }
    inboundLimit.forget(socket);
    boolean wasReady = connection.isReady();
    List<String> keys = connection.streamKeys();
    connection.closed();
    for (String key : keys) {
      byStream.computeIfPresent(key, (k, current) -> without(current, connection));
    }
    if (wasReady && !connection.isTaskSocket() && !connection.isOperatorSocket()) {
      fire(
          disconnectedEvent,
          new ConnectionEvent(
              connection.streamId(), connection.id(), reason.getCloseCode().getCode()));
    }
  }

  @Override
  public void deliver(Message message) {
    Connection[] connections = byStream.getOrDefault(message.stream(), NONE);
    for (Connection connection : connections) {
      connection.offer(message);
    }
  }

  /**
   * Hands over several messages: a client that takes batches gets all of its messages queued
   * before its sending starts, so they leave together in one frame; other clients send each at once.
   */
  @Override
  public void deliverAll(List<Message> messages) {
    Set<Connection> held = null; // made for the first client that takes batches
    for (Message message : messages) {
      for (Connection connection : byStream.getOrDefault(message.stream(), NONE)) {
        if (!connection.takesBatches()) {
          connection.offer(message);
        } else if (connection.hold(message)) {
          if (held == null) {
            held = Collections.newSetFromMap(new IdentityHashMap<>());
          }
          held.add(connection);
        }
      }
    }
    if (held != null) {
      for (Connection connection : held) {
        connection.sendHeld();
      }
    }
  }

  /** Whether any socket on this node receives the stream. */
  public boolean hasConnections(String streamKey) {
    return byStream.containsKey(streamKey);
  }

  /**
   * The lowest position in a stream that this node's ready sockets were given, -1 where none is
   * ready for it: where live delivery of the stream must continue from.
   */
  public long lowestCursor(String streamKey) {
    long lowest = Long.MAX_VALUE;
    for (Connection c : byStream.getOrDefault(streamKey, NONE)) {
      long at = c.cursorIn(streamKey);
      if (at >= 0) {
        lowest = Math.min(lowest, at);
      }
    }
    return lowest == Long.MAX_VALUE ? -1 : lowest;
  }

  /** The keys of every stream some socket on this node receives. */
  public java.util.Set<String> watchedStreams() {
    return java.util.Set.copyOf(byStream.keySet());
  }

  /** Authenticated sockets on this node, counted once each. */
  public int connectionCount() {
    int count = 0;
    for (Map.Entry<String, Connection[]> e : byStream.entrySet()) {
      if (StreamKeys.OPERATORS.equals(e.getKey())) {
        continue;
      }
      for (Connection c : e.getValue()) {
        if (c.streamKey().equals(e.getKey())) {
          count++;
        }
      }
    }
    return count;
  }

  /** Sockets on this node that receive a stream (a session's own, or a task's viewers). */
  public int connectionCount(String streamKey) {
    return byStream.getOrDefault(streamKey, NONE).length;
  }

  /** Sessions with at least one authenticated socket on this node. */
  public int sessionCount() {
    int count = 0;
    for (String key : byStream.keySet()) {
      if (StreamKeys.isSession(key)) {
        count++;
      }
    }
    return count;
  }

  /** Operator sockets ({@code /ws/ops/live}) on this node, not counted as connections. */
  public int operatorCount() {
    return byStream.getOrDefault(StreamKeys.OPERATORS, NONE).length;
  }

  /**
   * Sends an {@code ops} snapshot to every operator socket that has taken the previous one; one
   * still sending skips it (snapshots are values: the next one says it all), so a slow operator
   * page never queues them up.
   */
  public void sendToOperators(String frame) {
    for (Connection c : byStream.getOrDefault(StreamKeys.OPERATORS, NONE)) {
      if (!c.isSending()) {
        c.sendControl(frame);
      }
    }
  }

  /** The most turns a ping interval's liveness round is cut into. */
  private static final int MOST_LIVENESS_TURNS = 25;

  private int livenessTurn; // only the scheduler's one task moves it

  /** How often {@link #checkLiveness()} runs: the ping interval in turns of at least 100 ms. */
  public long livenessTurnMillis() {
    return config.pingInterval().toMillis() / livenessTurns();
  }

  private int livenessTurns() {
    return (int) Math.max(1, Math.min(MOST_LIVENESS_TURNS, config.pingInterval().toMillis() / 100));
  }

  /**
   * One turn of a ping interval: pings the ready sockets whose turn it is, and
   * closes the dead and the stuck among them: one not heard from for two ping intervals (half-open
   * TCP, a vanished peer) goes with 1001; one whose frame in flight has not been taken for two
   * intervals is a stalled reader and goes with 1013, to resume later. A socket busy sending is
   * pinged right after its frame in flight. Each socket has one turn per interval, so the pings and
   * their pongs come spread over it: 1,000 pings at once every 25 s took the core for tens of ms, and
   * at 20k frames/s the frames held up meanwhile outlived young collections, which grew to 100 ms
   * (docs/performance.md).
   */
  public void checkLiveness() {
    int turns = livenessTurns();
    int turn = Math.floorMod(livenessTurn++, turns);
    long now = System.nanoTime();
    long deadline = 2 * config.pingInterval().toNanos();
    for (Connection c : allConnections()) {
      if (c.turnOf(turns) != turn) {
        continue;
      }
      long sendStarted = c.sendStartedNanos();
      if (sendStarted != 0 && now - sendStarted > deadline) {
        c.close(CloseCode.TRY_AGAIN_LATER, "slow consumer: resume from your last seq");
      } else if (now - c.lastHeardNanos() > deadline) {
        c.close(CloseCode.GOING_AWAY, "no answer to ping");
      } else {
        c.ping();
      }
    }
  }

  /**
   * Closes every socket with the given code (1001 at shutdown), each once what was already queued
   * for it has been sent, waiting at most {@code flush} before closing the rest at once.
   */
  public void closeAll(CloseCode code, String reason, java.time.Duration flush) {
    List<Connection> all = allConnections();
    for (Connection c : all) {
      c.closeWhenDrained(code, reason);
    }
    long deadline = System.nanoTime() + flush.toNanos();
    while (System.nanoTime() < deadline && all.stream().anyMatch(c -> !c.isClosed())) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Connection c : all) {
      c.closeInline(code, reason);
    }
  }

  /** Closes the sockets that receive a stream, each once what was already queued for it is sent. */
  public void closeStream(String streamKey, CloseCode code, String reason) {
    for (Connection c : byStream.getOrDefault(streamKey, NONE)) {
      c.closeWhenDrained(code, reason);
    }
  }

  /** Every ready socket once (a socket is listed under each stream it receives). */
  private List<Connection> allConnections() {
    List<Connection> all = new java.util.ArrayList<>();
    for (Map.Entry<String, Connection[]> e : byStream.entrySet()) {
      for (Connection c : e.getValue()) {
        if (c.streamKey().equals(e.getKey())) {
          all.add(c);
        }
      }
    }
    return all;
  }

  private void authenticate(Connection connection, String text) {
    try {
      ClientMessage auth = ClientMessage.parse(text);
      if (!FrameType.AUTH.equals(auth.type())) {
        authFailed.fire(new AuthFailed(AuthFailed.SOCKET));
        connection.close(CloseCode.POLICY_VIOLATION, REASON_AUTH_REQUIRED);
        return;
      }
      String token = auth.string("token");
      TokenCheck check = connection.isOperatorSocket() ? checkOperator(token)
          : connection.isTaskSocket() ? checkTaskViewer(connection.streamId(), token)
          : credentials.checkSessionToken(token, connection.streamId());
      if (check != TokenCheck.VALID) {
        LOG.fine(() -> "Refused a socket: token " + check);
        authFailed.fire(new AuthFailed(AuthFailed.SOCKET));
        connection.close(
            CloseCode.POLICY_VIOLATION,
            connection.isOperatorSocket() ? REASON_NOT_A_PRODUCER_KEY : reasonFor(check));
        return;
      }
      if (ready(connection, auth.cursor("since"), auth.flag("batch"))) {
        inboundLimit.tokenAccepted(connection.socket(), connection, token);
      }
    } catch (ClientMessage.InvalidClientMessage e) {
      connection.close(CloseCode.POLICY_VIOLATION, REASON_AUTH_REQUIRED);
    }
  }

  /** An operator socket opens with a producer key only: a session token is not enough. */
  private TokenCheck checkOperator(String token) {
    if (token == null || token.isEmpty()) {
      return TokenCheck.MISSING;
    }
    return credentials.isProducerKey(token) ? TokenCheck.VALID : TokenCheck.BAD_SIGNATURE;
  }

  /** A task's log opens with a producer key, or with a token of the session the task belongs to. */
  private TokenCheck checkTaskViewer(String taskId, String token) {
    if (credentials.isProducerKey(token)) {
      return TokenCheck.VALID;
    }
    String session = tasks.find(taskId).map(Task::session).orElse(null);
    return session == null ? TokenCheck.WRONG_SESSION : credentials.checkSessionToken(token, session);
  }

  /** Admits an authenticated socket to its stream; false where it was refused (too many). */
  private boolean ready(Connection connection, Long since, boolean batch) {
    String key = connection.streamKey();
    boolean limited = !connection.isTaskSocket();
    boolean operator = connection.isOperatorSocket();
    AtomicBoolean admitted = new AtomicBoolean();
    connection.start(
        batch,
        () -> {
          byStream.compute(
              key,
              (k, current) -> {
                Connection[] existing = current == null ? NONE : current;
                if (limited && existing.length >= config.maxConnectionsPerSession()) {
                  return current;
                }
                admitted.set(true);
                return with(existing, connection);
              });
          return admitted.get();
        },
        () -> operator ? new Replay(0, false, List.of()) : store.replay(key, since));
    if (!admitted.get()) {
      connection.close(CloseCode.POLICY_VIOLATION, REASON_TOO_MANY_CONNECTIONS);
      return false;
    }
    if (operator) {
      if (operatorFeed.isResolvable()) {
        connection.sendControl(operatorFeed.get().greeting());
      }
      return true;
    }
    if (!connection.isTaskSocket()) {
      fire(connectedEvent, new ConnectionEvent(connection.streamId(), connection.id(), 0));
    }
    return true;
  }

  private void subscribe(Connection connection, ClientMessage message)
      throws ClientMessage.InvalidClientMessage {
    String taskId = requiredTask(connection, message);
    if (taskId == null) {
      return;
    }
    Long since = message.cursor("since");
    Task task = tasks.find(taskId).orElse(null);
    if (task == null) {
      connection.sendControl(Frames.error(ErrorCode.UNKNOWN_TASK, "No such task", message.type()));
      return;
    }
    if (credentials.authEnabled() && !connection.streamId().equals(task.session())) {
      connection.sendControl(
          Frames.error(ErrorCode.FORBIDDEN, "This task belongs to another session", message.type()));
      return;
    }
    String key = StreamKeys.task(taskId);
    boolean again = connection.unsubscribe(key);
    if (again) {
      byStream.computeIfPresent(key, (k, current) -> without(current, connection));
    } else if (connection.subscriptionCount() >= MAX_SUBSCRIPTIONS) {
      connection.sendControl(
          Frames.error(
              ErrorCode.TOO_MANY_SUBSCRIPTIONS,
              "A socket may watch at most " + MAX_SUBSCRIPTIONS + " tasks",
              message.type()));
      return;
    }
    connection.subscribe(
        key,
        taskId,
        () -> {
          byStream.compute(key, (k, current) -> with(current == null ? NONE : current, connection));
          return true;
        },
        () -> store.replay(key, since));
  }

  private void unsubscribe(Connection connection, ClientMessage message)
      throws ClientMessage.InvalidClientMessage {
    String taskId = requiredTask(connection, message);
    if (taskId == null) {
      return;
    }
    String key = StreamKeys.task(taskId);
    if (connection.unsubscribe(key)) {
      byStream.computeIfPresent(key, (k, current) -> without(current, connection));
    } else {
      connection.sendControl(
          Frames.error(ErrorCode.NOT_SUBSCRIBED, "This socket does not watch that task", message.type()));
    }
  }

  /** The task id of a subscribe or unsubscribe, or null after answering with an error frame. */
  private static String requiredTask(Connection connection, ClientMessage message)
      throws ClientMessage.InvalidClientMessage {
    if (connection.isTaskSocket()) {
      connection.sendControl(
          Frames.error(
              ErrorCode.UNKNOWN_TYPE, "A task socket watches its own task only; subscribe on a session socket",
              message.type()));
      return null;
    }
    String taskId = message.string("task");
    if (taskId == null || !Ids.isValid(taskId)) {
      connection.sendControl(
          Frames.error(
              ErrorCode.INVALID_MESSAGE,
              taskId == null ? "\"task\" is required" : "\"task\" is not a valid task id",
              message.type()));
      return null;
    }
    return taskId;
  }

  /** Fires a lifecycle event with the session current and a request context active. */
  private void fire(Event<ConnectionEvent> event, ConnectionEvent payload) {
    RequestContextController controller = requestContexts.get();
    try (CurrentSession.Scope scope = CurrentSession.bind(payload.sessionId())) {
      boolean activated = controller.activate();
      try {
        event.fire(payload);
      } finally {
        if (activated) {
          controller.deactivate();
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "An observer of a connection event failed", e);
    } finally {
      requestContexts.destroy(controller);
    }
  }

  private static String reasonFor(TokenCheck check) {
    return switch (check) {
      case EXPIRED -> "token expired";
      case MISSING -> "token missing";
      default -> "invalid token";
    };
  }

  private static Connection[] with(Connection[] current, Connection added) {
    Connection[] grown = Arrays.copyOf(current, current.length + 1);
    grown[current.length] = added;
    return grown;
  }

  private static Connection[] without(Connection[] current, Connection gone) {
    List<Connection> kept = Arrays.stream(current).filter(c -> c != gone).toList();
    return kept.isEmpty() ? null : kept.toArray(NONE);
  }

  private static Connection connectionOf(Session socket) {
    return (Connection) socket.getUserProperties().get(CONNECTION);
  }

  private static void closeNow(Session socket, CloseCode code, String reason) {
    try {
      socket.close(code.reason(reason));
    } catch (java.io.IOException e) {
      LOG.log(Level.FINE, "Closing a refused socket failed", e);
    }
  }
}
