package dev.statusmessenger.demo;

import dev.statusmessenger.LogLevel;
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
 * injected {@link StatusMessenger}: statuses and events to the session, and a task log with two
 * subtasks that the page watches. It never passes a session id: it runs on the container's
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
      String trip = messenger.createTask("Plan a trip: Lisbon → Amsterdam");
      messenger.event("task_started", Map.of("task_id", trip, "description", "Plan a trip: Lisbon → Amsterdam"));
      messenger.log(trip, LogLevel.INFO, "Request received", Map.of("request", request));
      pause();
      messenger.event(
          "plan",
          Map.of(
              "request", request,
              "steps", List.of("search flights", "compare prices", "book the best seat")));
      messenger.status("Searching flights…");
      String search = messenger.createSubtask(trip, "Search flights");
      messenger.event("subtask_started", Map.of("task_id", search, "description", "Search flights"));
      messenger.log(search, LogLevel.INFO, "Querying 3 airlines for Friday", Map.of("airlines", 3));
      CompletableFuture<Map<String, Object>> found = flights.search("LIS", "AMS");
      Map<String, Object> result = found.join();
      messenger.log(search, LogLevel.DEBUG, "Raw offers: TP662 €142, KL1692 €118, HV6102 €163", Map.of());
      messenger.log(search, LogLevel.WARNING, "HV6102 has no window seats left", Map.of("flight", "HV6102"));
      messenger.event(
          "tool_interaction", Map.of("tool", "flight_search", "input", "LIS → AMS", "output", result));
      pause();
      messenger.status("Comparing prices…");
      messenger.log(trip, LogLevel.INFO, "Cheapest with a window seat: KL1692 at €118", Map.of());
      messenger.event(
          "tool_interaction",
          Map.of("tool", "calculator", "input", "min(142, 118, 163)", "output", "118"));
      pause();
      messenger.status("Booking seat 14C on KL1692…");
      String booking = messenger.createSubtask(trip, "Book the seat");
      messenger.event("subtask_started", Map.of("task_id", booking, "description", "Book the seat"));
      messenger.log(booking, LogLevel.INFO, "Holding seat 14A on KL1692", Map.of("seat", "14A"));
      messenger.log(booking, LogLevel.ERROR, "Seat 14A was taken a moment ago; trying 14C", Map.of("seat", "14A"));
      pause();
      messenger.log(booking, LogLevel.INFO, "Seat 14C confirmed, booking reference QX7P2L", Map.of("seat", "14C"));
      messenger.log(trip, LogLevel.INFO, "Trip planned", Map.of("flight", "KL1692", "seat", "14C"));
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
