package dev.statusmessenger.it.probe;

import dev.statusmessenger.session.ConnectionEvent;
import dev.statusmessenger.session.Disconnected;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the close codes the server gave each session's sockets, as a host application sees them. */
@ApplicationScoped
public class CloseCodes {

  private final Map<String, List<Integer>> bySession = new ConcurrentHashMap<>();

  void record(@Observes @Disconnected ConnectionEvent disconnected) {
    bySession.computeIfAbsent(disconnected.sessionId(), s -> new CopyOnWriteArrayList<>()).add(disconnected.closeCode());
  }

  public List<Integer> of(String sessionId) {
    return bySession.getOrDefault(sessionId, List.of());
  }
}
