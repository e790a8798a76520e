package dev.statusmessenger.demo;

import dev.statusmessenger.StatusMessenger;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A server-side demo agent that plans a trip in a few steps and reports each one through the
 * injected {@link StatusMessenger}. It never passes a session id: it runs on the container's
 * {@link ManagedExecutorService}, and calls an {@code @Asynchronous} tool, and the current session
 * follows it there.
 */
@ApplicationScoped
public class DemoAgent {

  private static final Logger LOG = Logger.getLogger(DemoAgent.class.getName());

  @Inject StatusMessenger messenger;
  @Inject FlightSearchTool flights;
  @Resource ManagedExecutorService executor;

  private long stepMillis = 700;

  /** Starts the agent for the current session and returns at once. */
  public Future<?> start(String request) {
    return executor.submit(() -> run(request));
  }

  void stepMillis(long millis) {
    this.stepMillis = millis;
  }

  private void run(String request) {
    try {
      messenger.status("Reading your request…");
      pause();
      messenger.event(
          "plan",
          Map.of(
              "request", request,
              "steps", List.of("search flights", "compare prices", "book the best seat")));
      messenger.status("Searching flights…");
      CompletableFuture<Map<String, Object>> found = flights.search("LIS", "AMS");
      Map<String, Object> result = found.join();
      messenger.event(
          "tool_interaction", Map.of("tool", "flight_search", "input", "LIS → AMS", "output", result));
      pause();
      messenger.status("Comparing prices…");
      messenger.event(
          "tool_interaction",
          Map.of("tool", "calculator", "input", "min(142, 118, 163)", "output", "118"));
      pause();
      messenger.status("Booking seat 14C on KL1692…");
      pause();
      messenger.event("completed", Map.of("flight", "KL1692", "seat", "14C", "price_eur", 118));
      messenger.status("Done: KL1692 booked, seat 14C, €118");
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "The demo agent failed", e);
      messenger.status("The demo agent stopped: " + e.getClass().getSimpleName());
    }
  }

  private void pause() {
    try {
      Thread.sleep(stepMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
