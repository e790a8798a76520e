package dev.statusmessenger.rest;

import dev.statusmessenger.wire.JsonPlatform;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** An HTTP error answered as {@code application/problem+json} (RFC 9457), with a clear detail. */
public class Problem extends WebApplicationException {

  public static final MediaType PROBLEM_JSON = new MediaType("application", "problem+json");
  private static final long serialVersionUID = 1L;

  public Problem(Response.Status status, String detail) {
    super(detail, response(status.getStatusCode(), status.getReasonPhrase(), detail, null));
  }

  public static Problem badRequest(String detail) {
    return new Problem(Response.Status.BAD_REQUEST, detail);
  }

  public static Problem conflict(String detail) {
    return new Problem(Response.Status.CONFLICT, detail);
  }

  public static Problem notFound(String detail) {
    return new Problem(Response.Status.NOT_FOUND, detail);
  }

  /** The response of a problem, with extra headers where given (for example Retry-After). */
  static Response response(int status, String title, String detail, String retryAfterSeconds) {
    JsonObjectBuilder body =
        JsonPlatform.JSON.createObjectBuilder().add("type", "about:blank").add("title", title).add("status", status);
    if (detail != null) {
      body.add("detail", detail);
    }
    Response.ResponseBuilder builder =
        Response.status(status).type(PROBLEM_JSON).entity(body.build().toString());
    if (retryAfterSeconds != null) {
      builder.header("Retry-After", retryAfterSeconds);
    }
    return builder.build();
  }
}
