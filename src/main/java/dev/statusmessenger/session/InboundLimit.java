package dev.statusmessenger.session;

import dev.statusmessenger.auth.Credentials;
import dev.statusmessenger.config.MessengerConfig;
import dev.statusmessenger.config.PlatformResources;
import dev.statusmessenger.limit.TokenBucket;
import dev.statusmessenger.wire.CloseCode;
import dev.statusmessenger.wire.ErrorCode;
import dev.statusmessenger.wire.Frames;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Guards what one socket may send and for how long: client messages are limited to the configured
 * rate per second (a token bucket with a burst of as many); a message over the budget is not
 * handled and gets one {@code rate_limited} error frame per run, and a client that keeps flooding
 * (twice its budget refused in a row) is closed with 1008. A socket opened with a session token is
 * closed with 1008 when its token expires: within a second of expiry, or at its next message.
 */
@ApplicationScoped
public class InboundLimit {

  static final String REASON_FLOODING = "too many messages";
  static final String REASON_TOKEN_EXPIRED = "token expired";

  private static final String STATE = "status-messenger.inbound-limit";

  @Inject MessengerConfig config;
  @Inject Credentials credentials;


  private final ConcurrentHashMap<Session, Expiring> expiring = new ConcurrentHashMap<>();
  private volatile ScheduledFuture<?> sweep;

  /**
   * Whether a text message that arrived may be handled: within the inbound size limit (1009
   * above; the container's own buffer limit does not apply to every frame), then as
   * {@link #admit}.
   */
  public boolean admitText(Session socket, Connection connection, String text) {
    int limit = config.maxInboundMessage();
    if (text.length() > limit
        || (text.length() > limit / 3 && utf8Length(text) > limit)) {
      connection.close(CloseCode.MESSAGE_TOO_BIG, "message larger than " + limit + " bytes");
      return false;
    }
    return admit(socket, connection);
  }

  /** Whether a message that arrived may be handled; where not, the socket has been answered. */
  public boolean admit(Session socket, Connection connection) {
    State state = state(socket);
    Instant expiry = state.expiresAt;
    if (expiry != null && !Instant.now().isBefore(expiry)) {
      connection.close(CloseCode.POLICY_VIOLATION, REASON_TOKEN_EXPIRED);
      return false;
    }
    long now = System.nanoTime();
    if (state.bucket.tryTake(now)) {
      state.refusedInARow = 0;
      return true;
    }
    int refused = ++state.refusedInARow;
    if (refused >= 2 * config.inboundRate()) {
      connection.close(CloseCode.POLICY_VIOLATION, REASON_FLOODING);
    } else if (refused == 1) {
      connection.sendControl(
          Frames.error(
              ErrorCode.RATE_LIMITED,
              "More than " + config.inboundRate() + " messages a second; this one was not handled",
              null));
    }
    return false;
  }

  /**
   * A token opened the socket: it is closed when the token expires. Producer keys (on task
   * sockets) and {@code auth=none} do not expire. One sweep a second closes what has expired, so
   * no task per socket waits out a token's lifetime (and holds the socket) after it closed.
   */
  public void tokenAccepted(Session socket, Connection connection, String token) {
    if (!credentials.authEnabled() || credentials.isProducerKey(token)) {
      return;
    }
    credentials
        .tokens()
        .expiryOf(token)
        .ifPresent(
            expiry -> {
              state(socket).expiresAt = expiry;
              expiring.put(socket, new Expiring(connection, expiry));
              if (connection.isClosed()) {
                forget(socket); // it closed meanwhile, and its close already forgot it
                return;
              }
              startSweep();
            });
  }

  /** The socket closed: nothing of it is kept. */
  public void forget(Session socket) {
    socket.getUserProperties().remove(STATE);
    expiring.remove(socket);
  }

  /** Closes every socket whose token has expired. */
  void closeExpired() {
    Instant now = Instant.now();
    expiring.forEach(
        (socket, e) -> {
          if (!now.isBefore(e.at()) && expiring.remove(socket, e)) {
            e.connection().close(CloseCode.POLICY_VIOLATION, REASON_TOKEN_EXPIRED);
          }
        });
  }

  private void startSweep() {
    if (sweep == null) {
      synchronized (this) {
        if (sweep == null) {
          sweep = PlatformResources.scheduler().scheduleAtFixedRate(this::closeExpired, 1, 1, TimeUnit.SECONDS);
        }
      }
    }
  }

  @PreDestroy
  void stopSweep() {
    if (sweep != null) {
      sweep.cancel(false);
    }
  }

  private static int utf8Length(String text) {
    int bytes = 0;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  private State state(Session socket) {
    return (State)
        socket
            .getUserProperties()
            .computeIfAbsent(
                STATE,
                k -> new State(new TokenBucket(config.inboundRate(), config.inboundRate(), System.nanoTime())));
  }

  /** A socket that must close when its token expires. */
  private record Expiring(Connection connection, Instant at) {}

  /** What the guard keeps per socket; a socket's messages arrive one at a time. */
  private static final class State {
    final TokenBucket bucket;
    int refusedInARow;
    volatile Instant expiresAt;

    State(TokenBucket bucket) {
      this.bucket = bucket;
    }
  }
}
