package dev.statusmessenger.platform;

import dev.statusmessenger.config.ConfigKeys;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends text frames whose bytes were encoded once ({@link dev.statusmessenger.wire.WebSocketFrame}),
 * so that a message goes to every socket of its session as the same bytes, and no socket pays for
 * the container's per-send UTF-8 encoding, framing and idle-timeout rescheduling. JSR-356 has no
 * such send. The Tyrus inside Payara (tyrus-core 2.1.5.payara-p2) has one:
 * {@code TyrusWebSocket.sendRawFrame(ByteBuffer)}, public, which writes through the same lock and
 * writer as {@code sendText} and returns a {@code TyrusFuture}, a {@link CompletableFuture} that
 * completes when the frame is written. A socket's {@code TyrusWebSocket} is reached from its remote
 * endpoint's package-private field {@code TyrusRemoteEndpoint.webSocket}.
 *
 * <p>A socket gets a raw sender only where that field and method are there, it negotiated no
 * extension (its frames must not be transformed) and it has no container idle timeout (which only
 * Tyrus's own sends reschedule); other sockets send text as before. Switch it off with
 * {@code status-messenger.raw-frames=false}. Where the internals differ it logs why, once, and
 * steps aside; {@link #status()} says what it found, and an integration test fails when a Payara
 * upgrade makes it step aside.
 */
public final class RawFrames {

  /** Sends one encoded frame; the stage completes when the container has written it. */
  public interface Sender {
    CompletableFuture<?> send(ByteBuffer frame);
  }

  static final String APPLIED = "applied";
  static final String OFF = "off";

  private static final Logger LOG = Logger.getLogger(RawFrames.class.getName());
  private static final String REMOTE_ENDPOINT = "org.glassfish.tyrus.core.TyrusRemoteEndpoint";
  private static final String WEB_SOCKET_FIELD = "webSocket";
  private static final String SEND_RAW_FRAME = "sendRawFrame";

  private static final LongAdder SOCKETS = new LongAdder();

  /** Field and method once found, or why not; null until the first socket. */
  private static volatile Resolution resolution;

  private record Resolution(Field webSocket, MethodHandle sendRawFrame, String status) {}

  private RawFrames() {}

  /** A raw sender for this socket, or null where its frames go through {@code sendText}. */
  public static Sender forSocket(Session socket) {
    RemoteEndpoint.Async remote = socket.getAsyncRemote();
    Resolution r = resolution;
    if (r == null) {
      r = resolve(remote.getClass());
    }
    if (r.webSocket == null
        || !r.webSocket.getDeclaringClass().isInstance(remote)
        || !socket.getNegotiatedExtensions().isEmpty()
        || socket.getMaxIdleTimeout() > 0) {
      return null;
    }
    Object webSocket;
    try {
      webSocket = r.webSocket.get(remote);
    } catch (IllegalAccessException | RuntimeException e) {
      return null;
    }
    if (webSocket == null) {
      return null;
    }
    MethodHandle send = r.sendRawFrame.bindTo(webSocket);
    SOCKETS.increment();
    return frame -> {
      Object written;
      try {
        written = send.invoke(frame);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException(e); // sendRawFrame declares no checked exception
      }
      if (written instanceof CompletableFuture<?> stage) {
        return stage;
      }
      // Not the TyrusFuture this relies on: this socket fails its send (and is closed, so its
      // client resumes), and sockets opened from now on send text.
      String why = SEND_RAW_FRAME + " returned " + (written == null ? "null" : written.getClass().getName());
      resolution = new Resolution(null, null, why);
      LOG.warning("Raw frame sends switched off: " + why);
      throw new IllegalStateException(why);
    };
  }

  /** What the first socket found: {@code applied}, {@code off}, why not, or null before any socket. */
  public static String status() {
    Resolution r = resolution;
    return r == null ? null : r.status;
  }

  /** How many sockets were given a raw sender since start. */
  public static long sockets() {
    return SOCKETS.sum();
  }

  private static synchronized Resolution resolve(Class<?> remoteType) {
    if (resolution != null) {
      return resolution;
    }
    Resolution r = find(remoteType);
    if (!APPLIED.equals(r.status) && !OFF.equals(r.status)) {
      LOG.log(Level.WARNING, "Raw frame sends not applied, each socket encodes its frames: {0}", r.status);
    }
    resolution = r;
    return r;
  }

  private static Resolution find(Class<?> remoteType) {
    for (Class<?> c = remoteType; c != null; c = c.getSuperclass()) {
      if (REMOTE_ENDPOINT.equals(c.getName())) {
        if (!Switch.isOn(ConfigKeys.RAW_FRAMES)) {
          return new Resolution(null, null, OFF);
        }
        try {
          Field field = c.getDeclaredField(WEB_SOCKET_FIELD);
          Method method = field.getType().getMethod(SEND_RAW_FRAME, ByteBuffer.class);
          if (!Future.class.isAssignableFrom(method.getReturnType())) {
            return new Resolution(null, null, SEND_RAW_FRAME + " returns " + method.getReturnType().getName());
          }
          field.setAccessible(true);
          MethodHandle handle =
              MethodHandles.publicLookup()
                  .unreflect(method)
                  .asType(MethodType.methodType(Object.class, Object.class, ByteBuffer.class));
          return new Resolution(field, handle, APPLIED);
        } catch (NoSuchFieldException | NoSuchMethodException e) {
          return new Resolution(null, null, "the remote endpoint has no " + e.getMessage());
        } catch (ReflectiveOperationException | RuntimeException e) {
          return new Resolution(null, null, "the container refused access: " + e);
        }
      }
    }
    return new Resolution(null, null, "the WebSocket container is not Tyrus (" + remoteType.getName() + ")");
  }
}
