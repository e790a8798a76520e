package dev.statusmessenger.context;

import jakarta.enterprise.concurrent.spi.ThreadContextProvider;
import jakarta.enterprise.concurrent.spi.ThreadContextRestorer;
import jakarta.enterprise.concurrent.spi.ThreadContextSnapshot;
import java.util.Map;

/**
 * Carries the current session into work handed to the container's managed executors and
 * {@code @Asynchronous} methods, as Python's contextvars follow asyncio tasks. Registered through
 * {@code META-INF/services}, the Jakarta Concurrency 3.0 way to add a thread context type.
 */
public class CurrentSessionContextProvider implements ThreadContextProvider {

  /** The context type name, for {@code ContextServiceDefinition} propagated or cleared lists. */
  public static final String CONTEXT_TYPE = "StatusMessengerSession";

  @Override
  public ThreadContextSnapshot currentContext(Map<String, String> props) {
    String sessionId = CurrentSession.get().orElse(null);
    return () -> restorer(CurrentSession.bind(sessionId));
  }

  @Override
  public ThreadContextSnapshot clearedContext(Map<String, String> props) {
    return () -> restorer(CurrentSession.bind(null));
  }

  @Override
  public String getThreadContextType() {
    return CONTEXT_TYPE;
  }

  private static ThreadContextRestorer restorer(CurrentSession.Scope scope) {
    return scope::close;
  }
}
