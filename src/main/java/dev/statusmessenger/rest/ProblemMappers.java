package dev.statusmessenger.rest;

import dev.statusmessenger.MessageTooLargeException;
import dev.statusmessenger.NoCurrentSessionException;
import dev.statusmessenger.OverloadedException;
import dev.statusmessenger.UnknownTaskException;
import jakarta.json.JsonException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns every failure of the HTTP API into {@code application/problem+json}. The mappers are not
 * {@code @Provider}s: the API's applications register them by name, so in library mode they never
 * reach a host application's own JAX-RS resources.
 */
public final class ProblemMappers {

  private static final Logger LOG = Logger.getLogger(ProblemMappers.class.getName());

  private ProblemMappers() {}

  /** Errors the API raised itself, and the framework's own (404 of an unknown path, 405, 415). */
  public static class WebApplication implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
      Response r = e.getResponse();
      if (r.hasEntity() && Problem.PROBLEM_JSON.isCompatible(r.getMediaType())) {
        return r;
      }
      Response.StatusType status = r.getStatusInfo();
      return Problem.response(status.getStatusCode(), status.getReasonPhrase(), e.getMessage(), null);
    }
  }

  /** Invalid input found by the publisher: 400, 404 for an unknown task, 413 where too large. */
  public static class InvalidInput implements ExceptionMapper<IllegalArgumentException> {
    @Override
    public Response toResponse(IllegalArgumentException e) {
      if (e instanceof MessageTooLargeException) {
        return Problem.response(413, "Content Too Large", e.getMessage(), null);
      }
      if (e instanceof UnknownTaskException) {
        return Problem.response(404, "Not Found", e.getMessage(), null);
      }
      return Problem.response(400, "Bad Request", e.getMessage(), null);
    }
  }

  /** A body that is not JSON. */
  public static class MalformedJson implements ExceptionMapper<JsonException> {
    @Override
    public Response toResponse(JsonException e) {
      return Problem.response(400, "Bad Request", "The body is not valid JSON", null);
    }
  }

  /** Overload (503 with Retry-After), a missing current session (400), or a server error (500). */
  public static class IllegalState implements ExceptionMapper<IllegalStateException> {
    @Override
    public Response toResponse(IllegalStateException e) {
      if (e instanceof OverloadedException) {
        return Problem.response(503, "Service Unavailable", e.getMessage(), "1");
      }
      if (e instanceof NoCurrentSessionException) {
        return Problem.response(400, "Bad Request", e.getMessage(), null);
      }
      return Unexpected.answer(e);
    }
  }

  /** Anything else: a 500 that says nothing of the internals; the log has the details. */
  public static class Unexpected implements ExceptionMapper<RuntimeException> {
    @Override
    public Response toResponse(RuntimeException e) {
      return answer(e);
    }

    static Response answer(RuntimeException e) {
      LOG.log(Level.WARNING, "Unexpected error in the HTTP API", e);
      return Problem.response(
          500, "Internal Server Error", "Unexpected server error; it has been logged", null);
    }
  }
}
