package dev.statusmessenger.demo;

import dev.statusmessenger.StatusMessenger;
import jakarta.enterprise.concurrent.Asynchronous;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A tool the demo agent calls: an {@code @Asynchronous} method (Jakarta Concurrency) that runs on
 * its own thread and still reports to the session that started the agent.
 */
@ApplicationScoped
public class FlightSearchTool {

  @Inject StatusMessenger messenger;

  @Asynchronous
  public CompletableFuture<Map<String, Object>> search(String from, String to) {
    messenger.status("Searching flights " + from + " → " + to + " (3 airlines)…");
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Asynchronous.Result.complete(
        Map.of("found", 3, "flights", List.of("TP662 €142", "KL1692 €118", "HV6102 €163")));
  }
}
