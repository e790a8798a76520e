package dev.statusmessenger.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Real HTTP calls to the deployed application, for the integration tests. */
public final class Http {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private final URL base;

  public Http(URL base) {
    this.base = base;
  }

  public HttpResponse<String> post(String path, String body, String bearer) {
    return send(builder(path, bearer).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public HttpResponse<String> post(String path, byte[] body, String bearer) {
    return send(builder(path, bearer).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  public HttpResponse<String> post(String path, String body, String bearer, String idempotencyKey) {
    return send(
        builder(path, bearer)
            .header("Idempotency-Key", idempotencyKey)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Creates a task over the API and returns its id. */
  public String createTask(String description, String parent, String session, String key) {
    var body = Json.createObjectBuilder().add("description", description);
    if (parent != null) {
      body.add("parent", parent);
    }
    if (session != null) {
      body.add("session", session);
    }
    HttpResponse<String> r = post("api/v1/tasks", body.build().toString(), key);
    if (r.statusCode() != 201) {
      throw new AssertionError("POST /tasks answered " + r.statusCode() + ": " + r.body());
    }
    return json(r).getString("task_id");
  }

  public HttpResponse<String> get(String path, String bearer) {
    return send(builder(path, bearer).GET());
  }

  /**
   * Creates a session over the API: its id and token. Session creation is rate limited per
   * address; a 429 is waited out as its Retry-After says, for up to a minute.
   */
  public Session createSession() {
    HttpResponse<String> r = post("api/v1/sessions", "", null);
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (r.statusCode() == 429 && System.nanoTime() < deadline) {
      long seconds = r.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
      try {
        Thread.sleep(Math.min(seconds, 10) * 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      r = post("api/v1/sessions", "", null);
    }
    if (r.statusCode() != 201) {
      throw new AssertionError("POST /sessions answered " + r.statusCode() + ": " + r.body());
    }
    JsonObject o = json(r);
    return new Session(o.getString("session"), o.getString("token"));
  }

  public static JsonObject json(HttpResponse<String> response) {
    return Json.createReader(new StringReader(response.body())).readObject();
  }

  private HttpRequest.Builder builder(String path, String bearer) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base.toString() + path)).timeout(Duration.ofSeconds(30));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return b.header("Content-Type", "application/json");
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A session created over the API. */
  public record Session(String id, String token) {}
}
