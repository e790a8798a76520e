package dev.statusmessenger.rest;

import dev.statusmessenger.Publication;
import dev.statusmessenger.dispatch.Publisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Bulk publish, for servers that fan out to many sessions at once: an array of statuses and events,
 * each naming its session, checked whole and appended in one round trip.
 */
@Path("publish")
@Tag(name = "sessions")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class PublishResource {

  private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

  @Inject Publisher publisher;
  @Inject Access access;
  @Inject IdempotencyKeys idempotency;

  /**
   * Takes {@code [{"session","type":"status","message"} or {"session","type":"event","event_type",
   * "data"?}, …]} and answers 202 {@code {"seqs":[…]}}, one {@code seq} per item in order; a bad
   * item refuses the whole request (400 naming it, counting from 1).
   */
  @POST
  @Operation(
      summary = "Publish to many sessions at once",
      description =
          "Statuses and events for any sessions in one round trip. Every item is checked first: a bad"
              + " item refuses the whole request, naming it (counting from 1). 202 means every item"
              + " is ordered and stored in its session's stream.")
  @SecurityRequirement(name = ApiDocs.BEARER)
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              examples =
                  @ExampleObject(
                      name = "fan-out",
                      value =
                          "[{\"session\":\"" + ApiDocs.SESSION_EXAMPLE + "\",\"type\":\"status\",\"message\":\"Nightly report ready\"},"
                              + "{\"session\":\"" + ApiDocs.SESSION_EXAMPLE + "\",\"type\":\"event\",\"event_type\":\"report_ready\",\"data\":{\"pages\":12}}]")))
  @APIResponse(
      responseCode = "202",
      description = "Accepted: each item's seq in its session's stream, in the order given",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "accepted", value = "{\"seqs\":[7,8]}")))
  @APIResponse(responseCode = "400", description = "Not an array, or an item is invalid (named in detail)", content = @Content(mediaType = ApiDocs.PROBLEM, examples = @ExampleObject(name = "invalid", value = ApiDocs.PROBLEM_EXAMPLE)))
  @APIResponse(responseCode = "401", description = "No credential")
  @APIResponse(responseCode = "403", description = "Not a producer key")
  @APIResponse(responseCode = "413", description = "Too many items, or an item above a size limit")
  @APIResponse(responseCode = "503", description = "Overloaded: retry after Retry-After")
  public Response publish(
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @Parameter(description = "Makes a retried POST count once within the history window", example = "retry-0001")
      @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey,
      InputStream body) {
    access.requireProducer(authorization);
    JsonStructure json = JsonBodies.read(body, MAX_BODY_BYTES);
    if (!(json instanceof JsonArray array)) {
      throw Problem.badRequest("The body must be a JSON array of items");
    }
    List<Publication> items = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      items.add(item(array.get(i), i + 1));
    }
    return idempotency.once(
        "publish", idempotencyKey, () -> accepted(publisher.publish(items)));
  }

  private static Publication item(JsonValue value, int number) {
    if (!(value instanceof JsonObject item)) {
      throw Problem.badRequest("Item " + number + ": must be a JSON object");
    }
    try {
      String session = JsonBodies.requiredString(item, "session");
      String type = JsonBodies.requiredString(item, "type");
      return switch (type) {
        case "status" -> Publication.status(session, JsonBodies.requiredString(item, "message"));
        case "event" ->
            Publication.event(
                session,
                JsonBodies.requiredString(item, "event_type"),
                JsonBodies.optionalObject(item, "data"));
        default -> throw Problem.badRequest("\"type\" must be \"status\" or \"event\", not '" + type + "'");
      };
    } catch (Problem p) {
      throw Problem.badRequest("Item " + number + ": " + p.getMessage());
    }
  }

  private static Response accepted(List<Long> seqs) {
    StringBuilder out = new StringBuilder(16 + seqs.size() * 6).append("{\"seqs\":[");
    for (int i = 0; i < seqs.size(); i++) {
      out.append(i == 0 ? "" : ",").append(seqs.get(i));
    }
    return Response.accepted(out.append("]}").toString()).type(MediaType.APPLICATION_JSON).build();
  }
}
