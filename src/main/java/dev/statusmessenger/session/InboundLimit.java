package dev.statusmessenger.session;

import dev.statusmessenger.auth.Credentials;
import dev.statusmessenger.config.MessengerConfig;
import dev.statusmessenger.limit.TokenBucket;
import dev.statusmessenger.wire.CloseCode;
import dev.statusmessenger.wire.ErrorCode;
import dev.statusmessenger.wire.Frames;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Guards what one socket may send and for how long: client messages are limited to the configured
 * rate per second (a token bucket with a burst of as many); a message over the budget is not
 * handled and gets one {@code rate_limited} error frame per run, and a client that keeps flooding
 * (twice its budget refused in a row) is closed with 1008. A socket opened with a session token is
 * closed with 1008 when the token expires, at expiry or at its next message, whichever comes first.
 */
@ApplicationScoped
public class InboundLimit {

  static final String REASON_FLOODING = "too many messages";
  static final String REASON_TOKEN_EXPIRED = "token expired";

  private static final String STATE = "status-messenger.inbound-limit";

  @Inject MessengerConfig config;
  @Inject Credentials credentials;

  @Resource ManagedScheduledExecutorService scheduler;

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
   * sockets) and {@code auth=none} do not expire.
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
              State state = state(socket);
              state.expiresAt = expiry;
              long delay = Math.max(0, Duration.between(Instant.now(), expiry).toMillis());
              state.expiryClose =
                  scheduler.schedule(
                      () -> connection.close(CloseCode.POLICY_VIOLATION, REASON_TOKEN_EXPIRED),
                      delay,
                      TimeUnit.MILLISECONDS);
            });
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

  /** The socket closed: its scheduled expiry is dropped, so closed sockets are not held. */
  public void forget(Session socket) {
    Object state = socket.getUserProperties().remove(STATE);
    if (state instanceof State s && s.expiryClose != null) {
      s.expiryClose.cancel(false);
    }
  }

  private State state(Session socket) {
    return (State)
        socket
            .getUserProperties()
            .computeIfAbsent(
                STATE,
                k -> new State(new TokenBucket(config.inboundRate(), config.inboundRate(), System.nanoTime())));
  }

  /** What the guard keeps per socket; a socket's messages arrive one at a time. */
  private static final class State {
    final TokenBucket bucket;
    int refusedInARow;
    volatile Instant expiresAt;
    volatile ScheduledFuture<?> expiryClose;

    State(TokenBucket bucket) {
      this.bucket = bucket;
    }
  }
}
