package dev.statusmessenger.rest;

import dev.statusmessenger.cluster.ClusterGrid;
import dev.statusmessenger.cluster.GridAnswers;
import dev.statusmessenger.config.MessengerConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * This store remembers the answers of producer POSTs by their {@code Idempotency-Key}, for the
 * history window, so a worker that retries after a timeout is accepted once: the retry gets the
 * first answer again and nothing is appended twice. Concurrent retries wait for the first. In a
 * cluster the answers are in Payara's data grid, so a retry that lands on another node is caught
 * too.
 */
@ApplicationScoped
public class IdempotencyKeys {

  /** The request header that carries the key. */
  public static final String HEADER = "Idempotency-Key";

  private static final int MAX_KEY_LENGTH = 255;
  private static final int MAX_ENTRIES = 200_000;

  private final ConcurrentHashMap<String, Entry> answers = new ConcurrentHashMap<>();
  private Clock clock = Clock.systemUTC();

  @Inject MessengerConfig config;
  @Inject ClusterGrid cluster;

  private GridAnswers grid; // null on a node that runs alone

  @PostConstruct
  void connect() {
    grid = cluster.answers();
  }

  /**
   * Runs the request once per key and scope; a request without a key always runs.
   *
   * @param scope what the key is unique within (the endpoint and its target)
   * @param key the header's value, or null
   * @param request produces the answer (a 2xx answer is remembered; errors are not)
   */
  public Response once(String scope, String key, Supplier<Response> request) {
    if (key == null) {
      return request.get();
    }
    if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
      throw Problem.badRequest(HEADER + " must be 1 to " + MAX_KEY_LENGTH + " characters");
    }
    String id = scope + '\u0000' + key;
    if (grid != null) {
      return onceInGrid(id, request);
    }
    Instant now = clock.instant();
    Entry mine = new Entry(now.plus(window()));
    Entry existing = answers.putIfAbsent(id, mine);
    if (existing != null && existing.expires.isAfter(now)) {
      return existing.await();
    }
    if (existing != null) {
      answers.replace(id, existing, mine);
    }
    Response answer;
    try {
      answer = request.get();
    } catch (RuntimeException e) {
      answers.remove(id, mine);
      mine.answer.completeExceptionally(e);
      throw e;
    }
    if (answer.getStatus() >= 300) {
      answers.remove(id, mine);
    }
    mine.answer.complete(new Snapshot(answer.getStatus(), (String) answer.getEntity()));
    trim(now);
    return answer;
  }

  /** As {@link #once}, with the answer in the grid and the key's grid lock held while it runs. */
  private Response onceInGrid(String id, Supplier<Response> request) {
    return grid.locked(
        id,
        () -> {
          String stored = grid.get(id);
          if (stored != null) {
            int split = stored.indexOf('\n');
            return replayed(new Snapshot(Integer.parseInt(stored.substring(0, split)), stored.substring(split + 1)));
          }
          Response answer = request.get();
          if (answer.getStatus() < 300) {
            grid.put(id, answer.getStatus() + "\n" + answer.getEntity(), window());
          }
          return answer;
        });
  }

  private static Response replayed(Snapshot s) {
    return Response.status(s.status())
        .entity(s.body())
        .type(jakarta.ws.rs.core.MediaType.APPLICATION_JSON)
        .header("Idempotent-Replayed", "true")
        .build();
  }

  private Duration window() {
    return config.historyTtl().compareTo(config.taskHistoryTtl()) > 0
        ? config.historyTtl()
        : config.taskHistoryTtl();
  }

  private void trim(Instant now) {
    if (answers.size() <= MAX_ENTRIES) {
      return;
    }
    for (Iterator<Map.Entry<String, Entry>> it = answers.entrySet().iterator(); it.hasNext(); ) {
      if (!it.next().getValue().expires.isAfter(now)) {
        it.remove();
      }
    }
  }

  private record Snapshot(int status, String body) {}

  private static final class Entry {
    final Instant expires;
    final CompletableFuture<Snapshot> answer = new CompletableFuture<>();

    Entry(Instant expires) {
      this.expires = expires;
    }

    Response await() {
      try {
        return replayed(answer.get());
      } catch (ExecutionException e) {
        throw Problem.conflict("The first request with this " + HEADER + " failed; retry it");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
