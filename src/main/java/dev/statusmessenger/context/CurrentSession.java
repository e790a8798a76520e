package dev.statusmessenger.context;

import dev.statusmessenger.NoCurrentSessionException;
import java.util.Optional;

/**
 * This holder keeps the session the running code works for: bound by the WebSocket endpoint for
 * its callbacks and by the HTTP filter for a request, carried into managed executors by {@link
 * CurrentSessionContextProvider}. Every binding is a scope that restores what was there before, so
 * a pooled thread never keeps a session it was lent for one request.
 */
public final class CurrentSession {

  private static final ThreadLocal<Binding> CURRENT = new ThreadLocal<>();

  private CurrentSession() {}

  /** The current session, where there is one. */
  public static Optional<String> get() {
    Binding binding = CURRENT.get();
    return binding == null ? Optional.empty() : Optional.ofNullable(binding.sessionId);
  }

  /** The current session, or a {@link NoCurrentSessionException}. */
  public static String require() {
    return get().orElseThrow(NoCurrentSessionException::new);
  }

  /**
   * Makes a session current until the returned scope closes; null makes none current.
   *
   * <pre>{@code try (CurrentSession.Scope scope = CurrentSession.bind(id)) { ... } }</pre>
   */
  public static Scope bind(String sessionId) {
    Binding previous = CURRENT.get();
    Binding binding = new Binding(sessionId, previous);
    CURRENT.set(binding);
    return () -> {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    };
  }

  /**
   * Sets the session of the innermost open scope, for code that learns the session after the scope
   * was opened (a JAX-RS filter reading a path parameter). Does nothing where no scope is open, so
   * nothing outlives its request.
   */
  public static void setInOpenScope(String sessionId) {
    Binding binding = CURRENT.get();
    if (binding != null) {
      binding.sessionId = sessionId;
    }
  }

  /** A binding of the current session; closing it restores the previous one. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  private static final class Binding {
    private String sessionId;
    private final Binding previous;

    Binding(String sessionId, Binding previous) {
      this.sessionId = sessionId;
      this.previous = previous;
    }
  }
}
