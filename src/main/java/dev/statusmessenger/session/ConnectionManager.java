package dev.statusmessenger.session;

import dev.statusmessenger.auth.Credentials;
import dev.statusmessenger.auth.Ids;
import dev.statusmessenger.auth.TokenCheck;
import dev.statusmessenger.config.MessengerConfig;
import dev.statusmessenger.context.CurrentSession;
import dev.statusmessenger.dispatch.DeliveryTarget;
import dev.statusmessenger.stream.Message;
import dev.statusmessenger.stream.StreamStore;
import dev.statusmessenger.wire.CloseCode;
import dev.statusmessenger.wire.ErrorCode;
import dev.statusmessenger.wire.FrameType;
import dev.statusmessenger.wire.Frames;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This connection manager holds every socket of {@code /ws/{session}} by session id. It takes
 * sockets through authentication to {@code ready}, answers client messages, and delivers each
 * session's messages to all of its connections. The endpoint only hands it callbacks.
 */
@ApplicationScoped
public class ConnectionManager implements DeliveryTarget {

  static final String REASON_INVALID_SESSION_ID = "invalid session id";
  static final String REASON_AUTH_TIMEOUT = "no auth message in time";
  static final String REASON_AUTH_REQUIRED = "the first message must be auth with a token";
  static final String REASON_TOO_MANY_CONNECTIONS = "too many connections for this session";

  private static final Logger LOG = Logger.getLogger(ConnectionManager.class.getName());
  private static final String CONNECTION = "status-messenger.connection";
  private static final Connection[] NONE = new Connection[0];

  private final ConcurrentHashMap<String, Connection[]> bySession = new ConcurrentHashMap<>();

  @Inject MessengerConfig config;
  @Inject Credentials credentials;
  @Inject StreamStore store;
  @Inject @Connected Event<ConnectionEvent> connectedEvent;
  @Inject @Disconnected Event<ConnectionEvent> disconnectedEvent;
  @Inject Instance<RequestContextController> requestContexts;

  @Resource ManagedExecutorService executor;
  @Resource ManagedScheduledExecutorService scheduler;

  /** A socket opened: checks its session id, then waits for its auth (or, without auth, is ready). */
  public void opened(Session socket, String sessionId, Long since, boolean batch) {
    if (!Ids.isValid(sessionId)) {
      closeNow(socket, CloseCode.POLICY_VIOLATION, REASON_INVALID_SESSION_ID);
      return;
    }
    socket.setMaxTextMessageBufferSize(config.maxInboundMessage());
    socket.setMaxBinaryMessageBufferSize(config.maxInboundMessage());
    Connection connection =
        new Connection(socket, sessionId, config.outboundQueueSize(), executor);
    socket.getUserProperties().put(CONNECTION, connection);
    if (!credentials.authEnabled()) {
      ready(connection, since, batch);
      return;
    }
    scheduler.schedule(
        () -> {
          if (!connection.isReady()) {
            connection.close(CloseCode.POLICY_VIOLATION, REASON_AUTH_TIMEOUT);
          }
        },
        config.authTimeout().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** A text message arrived: auth first, then ping, subscribe and unsubscribe. */
  public void received(Session socket, String text) {
    Connection connection = connectionOf(socket);
    if (connection == null) {
      return;
    }
    if (!connection.isReady()) {
      authenticate(connection, text);
      return;
    }
    try {
      ClientMessage message = ClientMessage.parse(text);
      switch (message.type()) {
        case FrameType.PING -> connection.sendControl(Frames.pong());
        case FrameType.AUTH ->
            connection.sendControl(
                Frames.error(
                    ErrorCode.ALREADY_AUTHENTICATED, "This socket is already authenticated",
                    FrameType.AUTH));
        case FrameType.SUBSCRIBE, FrameType.UNSUBSCRIBE -> {
          String task = message.string("task");
          connection.sendControl(
              Frames.error(
                  ErrorCode.UNKNOWN_TASK,
                  task == null ? "\"task\" is required" : "No such task",
                  message.type()));
        }
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

  /** A binary message arrived: the protocol is text only. */
  public void receivedBinary(Session socket) {
    Connection connection = connectionOf(socket);
    if (connection == null) {
      return;
    }
    if (!connection.isReady()) {
      connection.close(CloseCode.POLICY_VIOLATION, REASON_AUTH_REQUIRED);
      return;
    }
    connection.sendControl(
        Frames.error(ErrorCode.INVALID_MESSAGE, "Binary frames are not supported; send JSON text", null));
  }

  /** The container closed the socket: forget it. */
  public void closed(Session socket, CloseReason reason) {
    Connection connection = connectionOf(socket);
    if (connection == null) {
      return;
    }
    boolean wasReady = connection.isReady();
    connection.closed();
    bySession.computeIfPresent(connection.sessionId(), (id, current) -> without(current, connection));
    if (wasReady) {
      fire(
          disconnectedEvent,
          new ConnectionEvent(
              connection.sessionId(), connection.id(), reason.getCloseCode().getCode()));
    }
  }

  @Override
  public void deliver(Message message) {
    Connection[] connections = bySession.getOrDefault(message.stream(), NONE);
    for (Connection connection : connections) {
      connection.offer(message);
    }
  }

  /** Whether any socket of the session is open on this node. */
  public boolean hasConnections(String sessionId) {
    return bySession.containsKey(sessionId);
  }

  /** Authenticated sockets on this node. */
  public int connectionCount() {
    int count = 0;
    for (Connection[] connections : bySession.values()) {
      count += connections.length;
    }
    return count;
  }

  /** Sessions with at least one authenticated socket on this node. */
  public int sessionCount() {
    return bySession.size();
  }

  /** Closes every socket with the given code (1001 at shutdown). */
  public void closeAll(CloseCode code, String reason) {
    for (Connection[] connections : bySession.values()) {
      for (Connection connection : connections) {
        connection.closeInline(code, reason);
      }
    }
  }

  private void authenticate(Connection connection, String text) {
    ClientMessage auth;
    try {
      auth = ClientMessage.parse(text);
      if (!FrameType.AUTH.equals(auth.type())) {
        connection.close(CloseCode.POLICY_VIOLATION, REASON_AUTH_REQUIRED);
        return;
      }
      TokenCheck check =
          credentials.checkSessionToken(auth.string("token"), connection.sessionId());
      if (check != TokenCheck.VALID) {
        LOG.fine(() -> "Refused a socket of a session: token " + check);
        connection.close(CloseCode.POLICY_VIOLATION, reasonFor(check));
        return;
      }
      ready(connection, auth.cursor("since"), auth.flag("batch"));
    } catch (ClientMessage.InvalidClientMessage e) {
      connection.close(CloseCode.POLICY_VIOLATION, REASON_AUTH_REQUIRED);
    }
  }

  private void ready(Connection connection, Long since, boolean batch) {
    String sessionId = connection.sessionId();
    AtomicBoolean admitted = new AtomicBoolean();
    connection.start(
        "session",
        batch,
        () -> {
          bySession.compute(
                sessionId,
                (id, current) -> {
                  Connection[] existing = current == null ? NONE : current;
                  if (existing.length >= config.maxConnectionsPerSession()) {
                    return current;
                  }
                  admitted.set(true);
                  Connection[] grown = Arrays.copyOf(existing, existing.length + 1);
                  grown[existing.length] = connection;
                  return grown;
                });
          return admitted.get();
        },
        () -> store.replay(sessionId, since));
    if (!admitted.get()) {
      connection.close(CloseCode.POLICY_VIOLATION, REASON_TOO_MANY_CONNECTIONS);
      return;
    }
    fire(connectedEvent, new ConnectionEvent(sessionId, connection.id(), 0));
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
