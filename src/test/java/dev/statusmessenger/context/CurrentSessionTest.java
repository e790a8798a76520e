package dev.statusmessenger.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statusmessenger.NoCurrentSessionException;
import jakarta.enterprise.concurrent.spi.ThreadContextRestorer;
import jakarta.enterprise.concurrent.spi.ThreadContextSnapshot;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CurrentSessionTest {

  private final ExecutorService pool = Executors.newSingleThreadExecutor();

  @AfterEach
  void shutdown() {
    pool.shutdownNow();
  }

  @Test
  void aScopeRestoresWhatWasCurrentBefore() {
    assertTrue(CurrentSession.get().isEmpty());
    try (CurrentSession.Scope outer = CurrentSession.bind("a")) {
      try (CurrentSession.Scope inner = CurrentSession.bind("b")) {
        assertEquals(Optional.of("b"), CurrentSession.get());
      }
      assertEquals(Optional.of("a"), CurrentSession.get());
    }
    assertTrue(CurrentSession.get().isEmpty());
  }

  @Test
  void noCurrentSessionIsAClearException() {
    NoCurrentSessionException e = assertThrows(NoCurrentSessionException.class, CurrentSession::require);
    assertTrue(e.getMessage().contains("messenger.to(sessionId)"), e.getMessage());
  }

  @Test
  void settingInAnOpenScopeNeverOutlivesTheScope() {
    CurrentSession.setInOpenScope("leak");
    assertTrue(CurrentSession.get().isEmpty(), "no scope open: nothing is set");
    try (CurrentSession.Scope scope = CurrentSession.bind(null)) {
      CurrentSession.setInOpenScope("request-session");
      assertEquals(Optional.of("request-session"), CurrentSession.get());
    }
    assertTrue(CurrentSession.get().isEmpty());
  }

  @Test
  void theContextProviderCarriesTheSessionToAnotherThreadAndClearsItAfter() throws Exception {
    CurrentSessionContextProvider provider = new CurrentSessionContextProvider();
    ThreadContextSnapshot snapshot;
    try (CurrentSession.Scope scope = CurrentSession.bind("agent-session")) {
      snapshot = provider.currentContext(Map.of());
    }
    CompletableFuture<Optional<String>> during = new CompletableFuture<>();
    CompletableFuture<Optional<String>> after = new CompletableFuture<>();
    pool.submit(
        () -> {
          ThreadContextRestorer restorer = snapshot.begin();
          during.complete(CurrentSession.get());
          restorer.endContext();
          after.complete(CurrentSession.get());
        });
    assertEquals(Optional.of("agent-session"), during.get());
    assertEquals(Optional.empty(), after.get(), "the pooled thread keeps nothing");
  }

  @Test
  void theClearedContextHidesASessionTheThreadHad() throws Exception {
    CurrentSessionContextProvider provider = new CurrentSessionContextProvider();
    ThreadContextSnapshot cleared = provider.clearedContext(Map.of());
    try (CurrentSession.Scope scope = CurrentSession.bind("x")) {
      ThreadContextRestorer restorer = cleared.begin();
      assertTrue(CurrentSession.get().isEmpty());
      restorer.endContext();
      assertEquals(Optional.of("x"), CurrentSession.get());
    }
  }
}
